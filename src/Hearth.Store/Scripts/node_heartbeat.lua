-- A node's heartbeat: its inventory and when it was seen. Returns 1 when the node had been marked lost.
local inventories, seen, lost = KEYS[1], KEYS[2], KEYS[3]
local name, inventory, now = ARGV[1], ARGV[2], ARGV[3]
redis.call('HSET', inventories, name, inventory)
redis.call('HSET', seen, name, now)
return redis.call('HDEL', lost, name)
