-- Marks a node lost when its last heartbeat is at or before the cutoff (a heartbeat that raced in wins) and drops its
-- workers' assignments. Returns their ids, or false when the node was not marked.
local seen, lost, assign, assign_node, version = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local name, cutoff, now = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local last = tonumber(redis.call('HGET', seen, name) or '0')
if last > cutoff or redis.call('HEXISTS', lost, name) == 1 then return false end
redis.call('HSET', lost, name, now)
local all = redis.call('HGETALL', assign_node)
local removed = {}
for i = 1, #all, 2 do
  if all[i + 1] == name then
    redis.call('HDEL', assign, all[i])
    redis.call('HDEL', assign_node, all[i])
    removed[#removed + 1] = all[i]
  end
end
redis.call('INCR', version)
return removed
