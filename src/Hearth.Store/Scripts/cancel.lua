-- ARGV: id, now. Returns {0} missing, {1, status} changed, {2, status} already final.
local id, now = ARGV[1], tonumber(ARGV[2])
local s = jget(id, 'st')
if not s then return {0} end
if s == IN_QUEUE then
  unqueue(id) -- its id stays in the list, a tombstone that take skips
elseif s == IN_PROGRESS then
  -- The holder learns through job-stop or its next heartbeat.
  signal_stop(id, now)
else
  return {2, s}
end
finalize(id, CANCELLED, now, R_CANCELLED, nil)
return {1, CANCELLED}
