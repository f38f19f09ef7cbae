-- ARGV: worker, now, take (most jobs to take for the worker after the results, 0 for none), leaseMs, then per result:
-- id, attempt ('' if unknown), failed (0|1), hasOutput (0|1), output, error, the worker's spans of it ('' for none).
-- Returns the number of results, then 7 values per result — 1 accepted: status, execution ms, submitted, queue wait,
-- attempt, trace context (what the job's trace needs, so recording it reads nothing); 0 no such job; -1 refused: the
-- job's status — then the jobs taken (as take_jobs returns them). One script for a worker's results and its next jobs;
-- a worker whose results were all refused is given none (it may be a stale process under a reused id).
local worker, now = ARGV[1], tonumber(ARGV[2])
local res = {0}
local accepted = 0
local function complete(id, attempt, failed, has_output, output, errtext, spans)
  local hs = holder_state(id, worker, attempt)
  if hs == 'missing' then return {0, '', '', '', '', '', ''} end
  if hs ~= 'ok' then
    -- A worker posting the result of a job it was told to stop has let go of it: no runaway.
    if redis.call('HGET', stuck, id) == worker then
      redis.call('HDEL', stuck, id)
      redis.call('HDEL', jkey(id), 'stuckat', 'stucklast')
    end
    return {-1, jget(id, 'st') or '', '', '', '', '', ''}
  end
  if has_output == '1' then redis.call('SET', out .. ':' .. id, output) else redis.call('DEL', out .. ':' .. id) end
  local status, reason, err = COMPLETED, nil, nil
  if failed == '1' then status, reason, err = FAILED, R_HANDLER_ERROR, errtext end
  finalize(id, status, now, reason, err)
  redis.call('HINCRBY', wdone, worker, 1)
  redis.call('HDEL', stops, id)
  if spans ~= '' then redis.call('HSET', jkey(id), 'spans', spans) end
  local f = redis.call('HMGET', jkey(id), 'exec', 'sub', 'delay', 'att', 'trace')
  return {1, status, f[1] or '0', f[2] or '', f[3] or '', f[4] or '', f[5] or ''}
end
for i = 5, #ARGV, 7 do
  local outcome = complete(ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], ARGV[i + 5], ARGV[i + 6])
  for _, v in ipairs(outcome) do res[#res + 1] = v end
  res[1] = res[1] + 1
  if outcome[1] == 1 then accepted = accepted + 1 end
end
local take = tonumber(ARGV[3])
if take > 0 and accepted > 0 then
  for _, v in ipairs(take_jobs(worker, ARGV[2], tonumber(ARGV[4]), take)) do res[#res + 1] = v end
end
return res
