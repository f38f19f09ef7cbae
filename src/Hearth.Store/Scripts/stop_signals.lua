-- ARGV: worker. Returns and clears the job ids this worker must stop.
local res = {}
local all = redis.call('HGETALL', stops)
for i = 1, #all, 2 do
  if all[i + 1] == ARGV[1] then
    res[#res + 1] = all[i]
    redis.call('HDEL', stops, all[i])
  end
end
return res
