-- Appends an audit entry (ARGV[1]: a JSON object) with the next sequence number as its first field, and keeps the
-- newest ARGV[2] entries. O(log n). Returns the sequence number.
local log, seq = KEYS[1], KEYS[2]
local entry, cap = ARGV[1], tonumber(ARGV[2])
local n = redis.call('INCR', seq)
local body = string.sub(entry, 2)
if body ~= '}' then
  body = ',' .. body
end
redis.call('ZADD', log, n, '{"seq":' .. n .. body)
local over = redis.call('ZCARD', log) - cap
if over > 0 then
  redis.call('ZREMRANGEBYRANK', log, 0, over - 1)
end
return n
