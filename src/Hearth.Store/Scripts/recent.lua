-- ARGV: limit, status ('' for any). The newest jobs first, from the capped recent index; a flat list of
-- 10 fields per job: id, status, submitted, started, delay, exec, worker, session, error, reason.
local limit, want = tonumber(ARGV[1]), ARGV[2]
local res = {}
local n = 0
for _, id in ipairs(redis.call('ZREVRANGE', recent, 0, -1)) do
  if n >= limit then break end
  local f = redis.call('HMGET', jkey(id), 'st', 'sub', 'start', 'delay', 'exec', 'wid', 'sess', 'err', 'why')
  if f[1] and (want == '' or f[1] == want) then
    res[#res + 1] = id
    for i = 1, 9 do res[#res + 1] = f[i] end
    n = n + 1
  end
end
return res
