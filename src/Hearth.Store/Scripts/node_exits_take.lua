-- Every exit the nodes reported since the last call, oldest first; removes them (read by the scheduler leader).
local exits = KEYS[1]
local all = redis.call('LRANGE', exits, 0, -1)
redis.call('DEL', exits)
return all
