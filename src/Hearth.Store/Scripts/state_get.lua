-- ARGV: job, worker, key. A value of the job's session state, for the job's lease holder only.
-- Returns {1, value} ({1} when unset), {0} when the job does not exist, {-1} when the caller does not hold it.
local id = ARGV[1]
local hs = holder_state(id, ARGV[2], '')
if hs == 'missing' then return {0} end
if hs ~= 'ok' then return {-1} end
local value = redis.call('GET', sstate .. ':' .. jget(id, 'sess') .. '\n' .. ARGV[3])
if value then return {1, value} end
return {1}
