-- ARGV: worker, now, leaseMs, max. Returns a flat list: id, payload, attempt, ...
local worker, now, lease, max = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
redis.call('HSET', wk, worker, ARGV[2])
if redis.call('HEXISTS', retired, worker) == 1 then return {} end
local res = {}
local n = 0
while n < max do
  local id = redis.call('LPOP', q)
  if not id then id = redis.call('LPOP', ql) end
  if not id then break end
  -- Queues may hold ids of jobs cancelled or deleted meanwhile; those are skipped.
  if redis.call('HGET', st, id) == 'IN_QUEUE' then
    local a = tonumber(redis.call('HGET', att, id) or '0') + 1
    redis.call('HSET', st, id, 'IN_PROGRESS')
    redis.call('HSET', att, id, int(a))
    redis.call('HSET', hold, id, worker)
    redis.call('HSET', wid, id, worker)
    redis.call('HSET', start, id, ARGV[2])
    redis.call('HSET', delay, id, int(now - tonumber(redis.call('HGET', sub, id))))
    redis.call('HDEL', stops, id)
    redis.call('ZADD', leases, int(now + lease), id)
    redis.call('ZADD', dead, int(now + tonumber(redis.call('HGET', exe, id))), id)
    res[#res + 1] = id
    res[#res + 1] = redis.call('HGET', req, id)
    res[#res + 1] = a
    n = n + 1
  end
end
return res
