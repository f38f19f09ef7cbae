-- Moves jobs of a layout-1 store (one per-endpoint hash per job field) into their own hashes (see StoreLayout).
-- KEYS: the endpoint keys, then the layout-1 hashes, one per field named in ARGV. ARGV: n (how many fields), the n
-- field names, then job ids. A field already in a job's hash is kept. Returns how many jobs it moved.
local n = tonumber(ARGV[1])
local base = #KEYS - n
for i = n + 2, #ARGV do
  local id = ARGV[i]
  for f = 1, n do
    local value = redis.call('HGET', KEYS[base + f], id)
    if value then
      redis.call('HSETNX', jkey(id), ARGV[f + 1], value)
      redis.call('HDEL', KEYS[base + f], id)
    end
  end
end
return #ARGV - n - 1
