-- ARGV: session, preview bytes. One session: {found, worker, last activity, expiry, idle ms, #steps, then per step
-- key, job, at, size, preview; then per state key key, size, preview}. {0} when there is no such session.
local session, preview = ARGV[1], tonumber(ARGV[2])
local expiry = redis.call('ZSCORE', sexp, session)
if not expiry and redis.call('HEXISTS', jidx, session) == 0 then return {0} end
local res = {1, redis.call('HGET', sbind, session) or '', redis.call('HGET', stouch, session) or '0', expiry or '0',
  redis.call('HGET', sidle, session) or '0', 0}
local steps = 0
for key in string.gmatch(redis.call('HGET', jidx, session) or '', '[^\n]+') do
  local field = session .. '\n' .. key
  local value = redis.call('GET', journal .. ':' .. field) or ''
  local meta = redis.call('HGET', jmeta, field) or '\t0'
  local tab = string.find(meta, '\t', 1, true)
  res[#res + 1] = key
  res[#res + 1] = string.sub(meta, 1, tab - 1)
  res[#res + 1] = string.sub(meta, tab + 1)
  res[#res + 1] = string.len(value)
  res[#res + 1] = string.sub(value, 1, preview)
  steps = steps + 1
end
res[6] = steps
for key in string.gmatch(redis.call('HGET', skeys, session) or '', '[^\n]+') do
  local value = redis.call('GET', sstate .. ':' .. session .. '\n' .. key) or ''
  res[#res + 1] = key
  res[#res + 1] = string.len(value)
  res[#res + 1] = string.sub(value, 1, preview)
end
return res
