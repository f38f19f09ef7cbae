-- ARGV: now, max, claimMs. Claims up to max webhook deliveries: about half from those due again in hooks (an
-- earlier claim that was never settled, or a retry whose time has come), the rest from new final states (outbox), so
-- neither can starve the other. A claimed delivery stays in hooks, due again at now + claimMs, until it is settled
-- (hook_settle): a dispatcher that dies mid-delivery loses nothing, another claims it once the claim runs out.
-- Returns, per claim: id, webhook URL, delivery attempts made so far.
local now, max = tonumber(ARGV[1]), tonumber(ARGV[2])
local claimed_until = int(now + tonumber(ARGV[3]))
local res, n = {}, 0

local function claim(id)
  local f = redis.call('HMGET', jkey(id), 'hook', 'hookn')
  if not f[1] then
    -- Deleted since (TTL, retention, purge): nothing left to deliver.
    redis.call('ZREM', hooks, id)
    return
  end
  redis.call('ZADD', hooks, claimed_until, id)
  res[#res + 1] = id
  res[#res + 1] = f[1]
  res[#res + 1] = f[2] or '0'
  n = n + 1
end

local function due_again(limit)
  if limit <= 0 then return end
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', hooks, '-inf', int(now), 'LIMIT', 0, limit)) do claim(id) end
end

due_again(math.ceil(max / 2))
while n < max do
  local id = redis.call('LPOP', outbox)
  if not id then break end
  claim(id)
end
due_again(max - n)
return res
