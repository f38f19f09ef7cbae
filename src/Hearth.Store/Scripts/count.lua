-- ARGV: now, seenWithinMs. Returns inQueue, inProgress, completed, failed, retried, workersIdle, workersRunning.
local now, within = tonumber(ARGV[1]), tonumber(ARGV[2])
local holders = {}
for _, w in ipairs(redis.call('HVALS', hold)) do holders[w] = true end
local idle, running = 0, 0
local all = redis.call('HGETALL', wk)
for i = 1, #all, 2 do
  local w = all[i]
  if tonumber(all[i + 1]) < now - within then
    -- Unseen for too long: forget the worker.
    redis.call('HDEL', wk, w)
    redis.call('HDEL', retired, w)
    redis.call('HDEL', wdone, w)
  elseif holders[w] then
    running = running + 1
  elseif redis.call('HEXISTS', retired, w) == 0 then
    idle = idle + 1
  end
end
local queued = queued_count('Q') + queued_count('QL')
return {queued + redis.call('ZCARD', parked), redis.call('ZCARD', leases),
  tonumber(redis.call('HGET', stats, COMPLETED) or '0'), tonumber(redis.call('HGET', stats, FAILED) or '0'),
  tonumber(redis.call('HGET', stats, 'RETRIED') or '0'), idle, running}
