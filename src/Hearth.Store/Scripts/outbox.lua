-- ARGV: max. Pops up to max job ids whose final state has a webhook to deliver.
local res = {}
for _ = 1, tonumber(ARGV[1]) do
  local id = redis.call('LPOP', outbox)
  if not id then break end
  res[#res + 1] = id
end
return res
