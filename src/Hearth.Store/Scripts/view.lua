-- No ARGV. What the scheduler needs to decide: queue lengths, the oldest normal job's submission time,
-- in-progress count, every worker's last-seen time, how many jobs each worker holds, and how many it finished.
local oldest = false
-- Tombstones at the head are dropped here (each once), so the oldest wait is a live job's.
local head = queue_head('Q', false)
while head and jget(head, 'st') ~= IN_QUEUE do
  queue_head('Q', true)
  head = queue_head('Q', false)
end
if head then oldest = jget(head, 'sub') end
local seen = redis.call('HGETALL', wk)
local holders = redis.call('HVALS', hold)
local stuckList = {}
local st_all = redis.call('HGETALL', stuck)
for i = 1, #st_all, 2 do
  stuckList[#stuckList + 1] = st_all[i]
  stuckList[#stuckList + 1] = st_all[i + 1]
  local told = redis.call('HMGET', jkey(st_all[i]), 'stuckat', 'stopat', 'stucklast')
  stuckList[#stuckList + 1] = told[1] or told[2] or '0'
  stuckList[#stuckList + 1] = told[3] or told[1] or told[2] or '0'
end
local queued, queuedLow = queued_count('Q'), queued_count('QL')
return {queued + redis.call('ZCARD', parked), queuedLow, oldest, redis.call('ZCARD', leases), seen, holders, redis.call('HGETALL', wdone), stuckList}
