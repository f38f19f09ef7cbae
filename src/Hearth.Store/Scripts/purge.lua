-- ARGV: now, batch. Cancels the queued jobs among the next `batch` entries of the queues (normal, then lowPriority,
-- then those parked for their session's worker): one chunk of an incremental purge, so the store never spends one
-- long script on a deep queue. Returns {ids cancelled, entries taken, entries left when it started}.
local now, batch = tonumber(ARGV[1]), tonumber(ARGV[2])
local left = queue_entries('Q') + queue_entries('QL') + redis.call('ZCARD', parked)
local cancelled, taken = {}, 0
for _, kind in ipairs({'Q', 'QL'}) do
  while taken < batch do
    local id = queue_head(kind, true)
    if not id then break end
    taken = taken + 1
    if jget(id, 'st') == IN_QUEUE then
      queued_add(id, -1)
      finalize(id, CANCELLED, now, R_PURGED, nil)
      cancelled[#cancelled + 1] = id
    end
  end
end
while taken < batch do
  local id = redis.call('ZRANGE', parked, 0, 0)[1]
  if not id then break end
  unpark(id)
  taken = taken + 1
  if jget(id, 'st') == IN_QUEUE then
    finalize(id, CANCELLED, now, R_PURGED, nil)
    cancelled[#cancelled + 1] = id
  end
end
return {cancelled, taken, left}
