-- ARGV: now. Cancels every queued job; returns how many.
local now = tonumber(ARGV[1])
local n = 0
for _, list in ipairs({q, ql}) do
  for _, id in ipairs(redis.call('LRANGE', list, 0, -1)) do
    if redis.call('HGET', st, id) == 'IN_QUEUE' then
      finalize(id, 'CANCELLED', now, 'purged', nil)
      n = n + 1
    end
  end
  redis.call('DEL', list)
end
for _, id in ipairs(redis.call('ZRANGE', parked, 0, -1)) do
  if redis.call('HGET', st, id) == 'IN_QUEUE' then
    finalize(id, 'CANCELLED', now, 'purged', nil)
    n = n + 1
  end
end
redis.call('DEL', parked)
return n
