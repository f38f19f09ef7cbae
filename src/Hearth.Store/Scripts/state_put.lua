-- ARGV: job, worker, key, value JSON ('' deletes), now, max keys. Sets a value of the job's session state, fenced by
-- the lease. Returns 1 done, 0 no such job, -1 not the holder, -2 the session already has max keys.
local id = ARGV[1]
local hs = holder_state(id, ARGV[2], '')
if hs == 'missing' then return 0 end
if hs ~= 'ok' then return -1 end
local session = jget(id, 'sess')
local key = ARGV[3]
local field = sstate .. ':' .. session .. '\n' .. key
local exists = redis.call('EXISTS', field) == 1
local keys = redis.call('HGET', skeys, session) or ''
if ARGV[4] == '' then
  if exists then
    redis.call('DEL', field)
    local remaining = {}
    for k in string.gmatch(keys, '[^\n]+') do if k ~= key then remaining[#remaining + 1] = k end end
    if #remaining == 0 then redis.call('HDEL', skeys, session) else redis.call('HSET', skeys, session, table.concat(remaining, '\n')) end
  end
else
  if not exists then
    local n = 0
    for _ in string.gmatch(keys, '[^\n]+') do n = n + 1 end
    if n >= tonumber(ARGV[6]) then return -2 end
    if keys == '' then keys = key else keys = keys .. '\n' .. key end
    redis.call('HSET', skeys, session, keys)
  end
  redis.call('SET', field, ARGV[4])
end
touch_session(session, tonumber(ARGV[5]))
return 1
