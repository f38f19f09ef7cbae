-- ARGV: id, worker. The holder hands an unfinished job back (drain): requeued at the front, no attempt counted as lost.
local id = ARGV[1]
local hs = holder_state(id, ARGV[2], '')
if hs == 'missing' then return 0 end
if hs ~= 'ok' then return -1 end
redis.call('HDEL', hold, id)
redis.call('HDEL', start, id)
redis.call('ZREM', leases, id)
redis.call('ZREM', dead, id)
redis.call('HSET', st, id, 'IN_QUEUE')
enqueue_front(id)
return 1
