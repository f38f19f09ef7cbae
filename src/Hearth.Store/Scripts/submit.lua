-- ARGV: id, payload (its first piece), now, ttlMs, execTimeoutMs, retentionMs, low(0|1), webhook, session,
-- sessionIdleMs, recentCap,
-- idempotency key ('' for none), body hash, key ttlMs, trace context ('' for none), then the payload's other pieces.
-- Returns 1 queued, 0 id exists, {2, id} replay, {3, id} key reused.
local id = ARGV[1]
if redis.call('HEXISTS', jkey(id), 'st') == 1 then return 0 end
local now = tonumber(ARGV[3])
local ikey = ARGV[12]
if ikey ~= '' then
  local seen = redis.call('HGET', idem, ikey)
  if seen and tonumber(redis.call('ZSCORE', idemz, ikey) or '0') > now then
    local tab = string.find(seen, '\t', 1, true)
    local first = string.sub(seen, 1, tab - 1)
    if string.sub(seen, tab + 1) == ARGV[13] then return {2, first} end
    return {3, first}
  end
  redis.call('HSET', idem, ikey, id .. '\t' .. ARGV[13])
  redis.call('ZADD', idemz, int(now + tonumber(ARGV[14])), ikey)
end
-- The job's small fields, written at once; optional ones only when set.
local expires = int(now + tonumber(ARGV[4]))
local fields = {'st', IN_QUEUE, 'sub', ARGV[3], 'exe', ARGV[5], 'ret', ARGV[6], 'att', '0', 'sess', ARGV[9],
  'ttl', expires}
redis.call('SET', req .. ':' .. id, ARGV[2])
-- Pieces after the first follow the fixed arguments (see payload() in the prelude).
if #ARGV > 15 then
  for k = 16, #ARGV do redis.call('SET', req .. ':' .. id .. ':' .. int(k - 14), ARGV[k]) end
  fields[#fields + 1], fields[#fields + 2] = 'rqn', int(#ARGV - 14)
end
if ARGV[8] ~= '' then fields[#fields + 1], fields[#fields + 2] = 'hook', ARGV[8] end
if ARGV[15] and ARGV[15] ~= '' then fields[#fields + 1], fields[#fields + 2] = 'trace', ARGV[15] end
if ARGV[7] == '1' then fields[#fields + 1], fields[#fields + 2] = 'low', '1' end
redis.call('HSET', jkey(id), unpack(fields))
if named(ARGV[9]) then
  redis.call('HSET', sidle, ARGV[9], ARGV[10])
  touch_session(ARGV[9], now)
end
due_add(ttl, id, tonumber(expires))
-- The recent-jobs index stays bounded: past the cap, the oldest entries leave it (the jobs themselves stay).
redis.call('ZADD', recent, ARGV[3], id)
local cap = tonumber(ARGV[11])
if redis.call('ZCARD', recent) > cap then redis.call('ZREMRANGEBYRANK', recent, 0, -(cap + 1)) end
enqueue_back(id)
return 1
