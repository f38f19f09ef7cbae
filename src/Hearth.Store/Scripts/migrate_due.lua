-- Moves a layout-1 deadline zset (id -> deadline) into deadlines by the second (see StoreLayout).
-- KEYS: the endpoint keys, then the layout-1 zset. ARGV: the index ('ttl' or 'kept'), batch. Returns how many the
-- zset still holds. A deadline of a job that no longer exists is dropped.
local old, field, batch = KEYS[#KEYS], ARGV[1], tonumber(ARGV[2])
local index = field == 'ttl' and ttl or kept
local entries = redis.call('ZRANGE', old, 0, batch - 1, 'WITHSCORES')
for i = 1, #entries, 2 do
  local id, at = entries[i], tonumber(entries[i + 1])
  if jget(id, 'st') then
    jset(id, field, int(at))
    due_add(index, id, at)
  end
  redis.call('ZREM', old, id)
end
return redis.call('ZCARD', old)
