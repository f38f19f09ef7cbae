-- KEYS: spans hash of one trace (hearth:{t:<traceId>}:spans). ARGV: cap, retentionMs, then spanId, record pairs.
-- A record is 'o' (open) or 'c' (closed) followed by its JSON. A closed record is never replaced by an open one (a late
-- or reordered report), and a trace holds at most cap spans: new spans past it are dropped, updates still apply.
-- Returns how many records were written.
local spans = KEYS[1]
local cap = tonumber(ARGV[1])
local written = 0
for i = 3, #ARGV, 2 do
  local id, record = ARGV[i], ARGV[i + 1]
  local old = redis.call('HGET', spans, id)
  if old then
    if not (string.sub(record, 1, 1) == 'o' and string.sub(old, 1, 1) == 'c') then
      redis.call('HSET', spans, id, record)
      written = written + 1
    end
  elseif redis.call('HLEN', spans) < cap then
    redis.call('HSET', spans, id, record)
    written = written + 1
  end
end
redis.call('PEXPIRE', spans, ARGV[2])
return written
