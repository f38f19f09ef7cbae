-- ARGV: limit, status ('' for any). The newest jobs first, from the capped recent index; a flat list of
-- 10 fields per job: id, status, submitted, started, delay, exec, worker, session, error, reason.
local limit, want = tonumber(ARGV[1]), ARGV[2]
local res = {}
local n = 0
for _, id in ipairs(redis.call('ZREVRANGE', recent, 0, -1)) do
  if n >= limit then break end
  local s = redis.call('HGET', st, id)
  if s and (want == '' or s == want) then
    res[#res + 1] = id
    res[#res + 1] = s
    res[#res + 1] = redis.call('HGET', sub, id)
    res[#res + 1] = redis.call('HGET', start, id)
    res[#res + 1] = redis.call('HGET', delay, id)
    res[#res + 1] = redis.call('HGET', exec, id)
    res[#res + 1] = redis.call('HGET', wid, id)
    res[#res + 1] = redis.call('HGET', sess, id)
    res[#res + 1] = redis.call('HGET', err, id)
    res[#res + 1] = redis.call('HGET', why, id)
    n = n + 1
  end
end
return res
