-- ARGV: id, worker, output
local hs = holder_state(ARGV[1], ARGV[2], '')
if hs == 'missing' then return 0 end
if hs ~= 'ok' then return -1 end
redis.call('SET', out .. ':' .. ARGV[1], ARGV[3])
return 1
