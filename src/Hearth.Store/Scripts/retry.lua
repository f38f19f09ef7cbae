-- ARGV: id, now. Requeues a FAILED or TIMED_OUT job under its id; {0} missing, {1, status}, {2, status} refused.
local id = ARGV[1]
local s = jget(id, 'st')
if not s then return {0} end
if s ~= FAILED and s ~= TIMED_OUT then return {2, s} end
local n = tonumber(jget(id, 'sc') or '0')
for i = 1, n do redis.call('DEL', sk .. ':' .. id .. ':' .. int(i)) end
redis.call('DEL', out .. ':' .. id)
redis.call('HDEL', jkey(id), 'err', 'why', 'exec', 'delay', 'wid', 'start', 'sc', 'sd', 'stopat', 'stuckat',
  'stucklast',
  'diag')
-- A retried job starts clean: no stop order, runaway mark or timeout diagnosis of its last attempt stays behind.
redis.call('HDEL', stops, id)
redis.call('HDEL', stuck, id)
redis.call('HSET', jkey(id), 'lost', '0', 'st', IN_QUEUE)
due_remove(kept, id, jget(id, 'kept'))
redis.call('HDEL', jkey(id), 'kept')
enqueue_back(id)
redis.call('HINCRBY', stats, 'RETRIED', 1)
return {1, IN_QUEUE}
