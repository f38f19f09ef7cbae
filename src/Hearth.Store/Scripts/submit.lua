-- ARGV: id, payload, now, ttlMs, execTimeoutMs, retentionMs, low(0|1), webhook, session, trace context ('' for none)
local id = ARGV[1]
if redis.call('HEXISTS', st, id) == 1 then return 0 end
local now = tonumber(ARGV[3])
redis.call('HSET', st, id, 'IN_QUEUE')
redis.call('HSET', req, id, ARGV[2])
redis.call('HSET', sub, id, ARGV[3])
redis.call('HSET', exe, id, ARGV[5])
redis.call('HSET', ret, id, ARGV[6])
redis.call('HSET', att, id, '0')
if ARGV[8] ~= '' then redis.call('HSET', hook, id, ARGV[8]) end
redis.call('HSET', sess, id, ARGV[9])
if ARGV[10] and ARGV[10] ~= '' then redis.call('HSET', trace, id, ARGV[10]) end
redis.call('ZADD', ttlz, int(now + tonumber(ARGV[4])), id)
if ARGV[7] == '1' then
  redis.call('HSET', low, id, '1')
  redis.call('RPUSH', ql, id)
else
  redis.call('RPUSH', q, id)
end
return 1
