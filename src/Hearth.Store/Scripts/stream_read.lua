-- ARGV: id. Returns status, delay, then every chunk not delivered before (and forgets them).
local id = ARGV[1]
local s = redis.call('HGET', st, id)
if not s then return {} end
local cnt = tonumber(redis.call('HGET', sc, id) or '0')
local cur = tonumber(redis.call('HGET', sd, id) or '0')
local res = {s, redis.call('HGET', delay, id)}
for i = cur + 1, cnt do
  local f = sk .. ':' .. id .. ':' .. int(i)
  res[#res + 1] = redis.call('GET', f)
  redis.call('DEL', f)
end
if cnt > cur then redis.call('HSET', sd, id, int(cnt)) end
return res
