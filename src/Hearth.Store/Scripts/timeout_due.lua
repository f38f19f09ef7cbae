-- ARGV: now, batch. Running jobs whose execution deadline has passed: the next sweep times them out.
local due = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', dead, '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))) do
  if jget(id, 'st') == IN_PROGRESS then due[#due + 1] = id end
end
return due
