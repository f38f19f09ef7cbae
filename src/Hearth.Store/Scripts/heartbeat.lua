-- ARGV: worker, now, leaseMs, jobId... Returns: renewedCount, renewed ids..., then per job to stop: its id and the
-- attempt being stopped (0 when the job is gone), so a worker running a newer grant of it can tell the order is stale.
local worker, now, lease = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('HSET', wk, worker, ARGV[2])
local renewed, stop = {}, {}
for i = 4, #ARGV do
  local id = ARGV[i]
  if redis.call('HGET', hold, id) == worker and jget(id, 'st') == IN_PROGRESS then
    redis.call('ZADD', leases, int(now + lease), id)
    redis.call('HSETNX', jkey(id), 'ack', '1')
    touch_session(jget(id, 'sess'), now)
    renewed[#renewed + 1] = id
  else
    stop[#stop + 1] = id
    if redis.call('HGET', stops, id) == worker then redis.call('HDEL', stops, id) end
    -- Told to stop, still running it: remembered until it lets go, so a runaway worker can be replaced.
    if jget(id, 'stopat') and jget(id, 'wid') == worker then
      redis.call('HSET', stuck, id, worker)
      -- It is told now (this answer lists the job to stop): its grace runs from here, not from the stop order, which
      -- a worker paused or cut off could not hear; and from here again when it is heard from after a silence as long
      -- as the grace (it was frozen or cut off, not running away), since this answer tells it once more.
      local last = jget(id, 'stucklast')
      if not last or now - tonumber(last) > RUNAWAY_GRACE_MS then jset(id, 'stuckat', ARGV[2]) end
      jset(id, 'stucklast', ARGV[2])
    end
  end
end
-- Jobs this worker was stuck on but no longer reports: it let go.
local listed = {}
for i = 4, #ARGV do listed[ARGV[i]] = true end
local all = redis.call('HGETALL', stuck)
for i = 1, #all, 2 do
  if all[i + 1] == worker and not listed[all[i]] then
    redis.call('HDEL', stuck, all[i])
    redis.call('HDEL', jkey(all[i]), 'stuckat', 'stucklast')
  end
end
local res = {#renewed}
for _, id in ipairs(renewed) do res[#res + 1] = id end
for _, id in ipairs(stop) do
  res[#res + 1] = id
  res[#res + 1] = jget(id, 'att') or '0'
end
return res
