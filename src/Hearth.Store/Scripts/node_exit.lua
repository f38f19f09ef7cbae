-- A node reports a worker ended: drops its assignment when it is on that node and keeps the exit for the scheduler
-- leader (the newest `kept` only). Returns 1 when the worker was assigned there.
local assign, assign_node, version, exits = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local worker, node, exit, kept = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local on = redis.call('HGET', assign_node, worker)
if not on or on ~= node then return 0 end
redis.call('HDEL', assign, worker)
redis.call('HDEL', assign_node, worker)
redis.call('INCR', version)
redis.call('RPUSH', exits, exit)
redis.call('LTRIM', exits, -kept, -1)
return 1
