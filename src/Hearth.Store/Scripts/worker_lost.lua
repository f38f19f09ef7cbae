-- ARGV: worker, now, maxWorkerLost, how. The worker's process was seen to end while it held jobs: each is lost at once,
-- as it would be when its lease expired, instead of a lease later. Returns {requeued...}, {finalized...}.
local worker, now, maxlost = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local requeued, finalized = {}, {}
local held = redis.call('HGETALL', hold)
for i = 1, #held, 2 do
  local id = held[i]
  if held[i + 1] == worker and jget(id, 'st') == IN_PROGRESS then
    if lose(id, now, maxlost, ARGV[4]) then requeued[#requeued + 1] = id else finalized[#finalized + 1] = id end
  end
end
return {requeued, finalized}
