-- Removes a worker's assignment; with a node, only when it is on that node ('' = any). Returns 1 when it was there.
local assign, assign_node, version = KEYS[1], KEYS[2], KEYS[3]
local worker, node = ARGV[1], ARGV[2]
local on = redis.call('HGET', assign_node, worker)
if not on or (node ~= '' and on ~= node) then return 0 end
redis.call('HDEL', assign, worker)
redis.call('HDEL', assign_node, worker)
redis.call('INCR', version)
return 1
