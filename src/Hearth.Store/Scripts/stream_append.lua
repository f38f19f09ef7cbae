-- ARGV: id, worker, chunk
local id = ARGV[1]
local hs = holder_state(id, ARGV[2], '')
if hs == 'missing' then return 0 end
if hs ~= 'ok' then return -1 end
local n = redis.call('HINCRBY', jkey(id), 'sc', 1)
redis.call('SET', sk .. ':' .. id .. ':' .. int(n), ARGV[3])
return 1
