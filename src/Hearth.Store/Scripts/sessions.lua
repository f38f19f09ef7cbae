-- ARGV: max. Named sessions of the endpoint, soonest expiry first: session, bound worker (or ''), last activity (ms),
-- expiry (ms), journaled steps, state keys; six elements per session.
local res = {}
for _, session in ipairs(redis.call('ZRANGE', sexp, 0, tonumber(ARGV[1]) - 1)) do
  local steps, keys = 0, 0
  for _ in string.gmatch(redis.call('HGET', jidx, session) or '', '[^\n]+') do steps = steps + 1 end
  for _ in string.gmatch(redis.call('HGET', skeys, session) or '', '[^\n]+') do keys = keys + 1 end
  res[#res + 1] = session
  res[#res + 1] = redis.call('HGET', sbind, session) or ''
  res[#res + 1] = redis.call('HGET', stouch, session) or '0'
  res[#res + 1] = redis.call('ZSCORE', sexp, session)
  res[#res + 1] = steps
  res[#res + 1] = keys
end
return res
