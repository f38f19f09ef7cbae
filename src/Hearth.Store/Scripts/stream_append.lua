-- ARGV: id, worker, chunk, most chunks. Returns 1 appended, 0 no such job, -1 not the holder, -2 the job already
-- has the most chunks it may stream (nothing appended).
local id = ARGV[1]
local hs = holder_state(id, ARGV[2], '')
if hs == 'missing' then return 0 end
if hs ~= 'ok' then return -1 end
local n = redis.call('HINCRBY', jkey(id), 'sc', 1)
if n > tonumber(ARGV[4]) then
  redis.call('HINCRBY', jkey(id), 'sc', -1)
  return -2
end
redis.call('SET', sk .. ':' .. id .. ':' .. int(n), ARGV[3])
return 1
