-- ARGV: id, worker. The holder hands an unfinished job back (drain): requeued at the front, no attempt counted as lost.
local id = ARGV[1]
local hs = holder_state(id, ARGV[2], '')
if hs == 'missing' then return 0 end
if hs ~= 'ok' then return -1 end
redis.call('HDEL', hold, id)
redis.call('HDEL', jkey(id), 'start')
redis.call('ZREM', leases, id)
redis.call('ZREM', dead, id)
jset(id, 'st', IN_QUEUE)
-- A worker hands jobs back when it leaves: its session is unbound so the job goes to whichever worker asks next.
local session = jget(id, 'sess')
if session and redis.call('HGET', sbind, session) == ARGV[2] then redis.call('HDEL', sbind, session) end
enqueue_front(id)
return 1
