-- ARGV: id, now. Requeues a FAILED or TIMED_OUT job under its id; {0} missing, {1, status}, {2, status} refused.
local id = ARGV[1]
local s = redis.call('HGET', st, id)
if not s then return {0} end
if s ~= FAILED and s ~= TIMED_OUT then return {2, s} end
local n = tonumber(redis.call('HGET', sc, id) or '0')
for i = 1, n do redis.call('DEL', sk .. ':' .. id .. ':' .. int(i)) end
redis.call('DEL', out .. ':' .. id)
for _, h in ipairs({err, why, exec, delay, wid, start, sc, sd, stops}) do redis.call('HDEL', h, id) end
redis.call('HSET', lost, id, '0')
redis.call('ZREM', keep, id)
redis.call('HSET', st, id, IN_QUEUE)
queued_add(id, 1)
if redis.call('HGET', low, id) == '1' then redis.call('RPUSH', ql, id) else redis.call('RPUSH', q, id) end
redis.call('HINCRBY', stats, 'RETRIED', 1)
return {1, IN_QUEUE}
