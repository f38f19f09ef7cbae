-- ARGV: id, worker, attempt('' if unknown), now, failed(0|1), hasOutput(0|1), output, error
local id, worker, now = ARGV[1], ARGV[2], tonumber(ARGV[4])
local hs = holder_state(id, worker, ARGV[3])
if hs == 'missing' then return {0} end
if hs ~= 'ok' then
  -- A worker posting the result of a job it was told to stop has let go of it: no runaway.
  if redis.call('HGET', stuck, id) == worker then
    redis.call('HDEL', stuck, id)
    redis.call('HDEL', jkey(id), 'stuckat', 'stucklast')
  end
  return {-1, jget(id, 'st')}
end
if ARGV[6] == '1' then redis.call('SET', out .. ':' .. id, ARGV[7]) else redis.call('DEL', out .. ':' .. id) end
local status, reason, errtext = COMPLETED, nil, nil
if ARGV[5] == '1' then status, reason, errtext = FAILED, R_HANDLER_ERROR, ARGV[8] end
finalize(id, status, now, reason, errtext)
redis.call('HINCRBY', wdone, worker, 1)
redis.call('HDEL', stops, id)
-- Also what the job's trace needs (submitted, queue wait, attempt, trace context), so recording it reads nothing.
local f = redis.call('HMGET', jkey(id), 'exec', 'sub', 'delay', 'att', 'trace')
return {1, status, tonumber(f[1] or '0'), f[2], f[3], f[4], f[5]}
