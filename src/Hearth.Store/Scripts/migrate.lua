-- KEYS: the job prefix key (hearth:{ep}:job), then the per-field hashes of the layout before it, one per ARGV field
-- name. ARGV: n (how many fields), the n field names, then job ids. Moves each job's fields from those hashes into
-- its own hash (job:<id>); a field already in the job's hash is kept. Returns how many jobs it moved.
local n = tonumber(ARGV[1])
local moved = 0
for i = n + 2, #ARGV do
  local id = ARGV[i]
  local key = KEYS[1] .. ':' .. id
  for f = 1, n do
    local value = redis.call('HGET', KEYS[f + 1], id)
    if value then
      redis.call('HSETNX', key, ARGV[f + 1], value)
      redis.call('HDEL', KEYS[f + 1], id)
    end
  end
  moved = moved + 1
end
return moved
