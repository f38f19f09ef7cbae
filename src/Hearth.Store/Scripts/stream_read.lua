-- ARGV: id. Returns status, delay, then every chunk not delivered before (and forgets them).
local id = ARGV[1]
local f = redis.call('HMGET', jkey(id), 'st', 'sc', 'sd', 'delay')
if not f[1] then return {} end
local cnt = tonumber(f[2] or '0')
local cur = tonumber(f[3] or '0')
local res = {f[1], f[4]}
for i = cur + 1, cnt do
  local f = sk .. ':' .. id .. ':' .. int(i)
  res[#res + 1] = redis.call('GET', f)
  redis.call('DEL', f)
end
if cnt > cur then jset(id, 'sd', int(cnt)) end
return res
