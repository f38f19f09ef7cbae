-- Revokes a stored key: deletes it and its last use, and grows the version so every replica drops it from its ring.
-- Returns the record removed, or nil when there was none.
local keys, version, used = KEYS[1], KEYS[2], KEYS[3]
local id = ARGV[1]
local record = redis.call('HGET', keys, id)
if not record then
  return false
end
redis.call('HDEL', keys, id)
redis.call('HDEL', used, id)
redis.call('INCR', version)
return record
