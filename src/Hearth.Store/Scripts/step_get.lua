-- ARGV: job, worker. The journal of the job's session as key, value pairs, for the job's lease holder only.
-- Returns {-1} when the caller does not hold the job, {0} when the job does not exist.
local id = ARGV[1]
local hs = holder_state(id, ARGV[2], '')
if hs == 'missing' then return {0} end
if hs ~= 'ok' then return {-1} end
local session = jget(id, 'sess')
local res = {1}
local index = redis.call('HGET', jidx, session)
if index then
  for key in string.gmatch(index, '[^\n]+') do
    res[#res + 1] = key
    res[#res + 1] = redis.call('GET', journal .. ':' .. session .. '\n' .. key)
  end
end
return res
