-- ARGV: worker. Returns and clears this worker's stop orders: per job its id and the attempt being stopped (the job's
-- grant when the order is read; 0 when the job is gone). A worker that meanwhile got a newer grant of the job keeps
-- running that one.
local res = {}
local all = redis.call('HGETALL', stops)
for i = 1, #all, 2 do
  if all[i + 1] == ARGV[1] then
    res[#res + 1] = all[i]
    res[#res + 1] = jget(all[i], 'att') or '0'
    redis.call('HDEL', stops, all[i])
  end
end
return res
