-- KEYS: hung hash of one trace (hearth:{t:<traceId>}:hung). ARGV: retentionMs, then spanId, deadlineMs pairs.
-- Marks spans that were still open at their job's execution deadline.
local hung = KEYS[1]
for i = 2, #ARGV, 2 do
  redis.call('HSET', hung, ARGV[i], ARGV[i + 1])
end
redis.call('PEXPIRE', hung, ARGV[1])
return 1
