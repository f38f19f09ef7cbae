-- Writes a stored key. mode 'new' writes only when the id is free, 'update' only when it exists; either way the
-- version grows so every replica reloads its key ring. Returns 1 when written, 0 otherwise.
local keys, version = KEYS[1], KEYS[2]
local id, record, mode = ARGV[1], ARGV[2], ARGV[3]
local exists = redis.call('HEXISTS', keys, id) == 1
if (mode == 'new' and exists) or (mode == 'update' and not exists) then
  return 0
end
redis.call('HSET', keys, id, record)
redis.call('INCR', version)
return 1
