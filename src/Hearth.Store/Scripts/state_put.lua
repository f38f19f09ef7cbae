-- ARGV: job, worker, key, value JSON ('' deletes), now, max keys, max bytes. Sets a value of the job's session state,
-- fenced by the lease. Returns 1 done, 0 no such job, -1 not the holder, -2 the session already has max keys, -3 the
-- session's values would pass max bytes in all. Their total size is kept under the session's name and an empty key
-- (a state key is never empty).
local id = ARGV[1]
local hs = holder_state(id, ARGV[2], '')
if hs == 'missing' then return 0 end
if hs ~= 'ok' then return -1 end
local session = jget(id, 'sess')
local key = ARGV[3]
local field = sstate .. ':' .. session .. '\n' .. key
local exists = redis.call('EXISTS', field) == 1
local sizes = sstate .. ':' .. session .. '\n'
local total = tonumber(redis.call('GET', sizes) or '0') - redis.call('STRLEN', field)
local keys = redis.call('HGET', skeys, session) or ''
if ARGV[4] == '' then
  if exists then
    redis.call('DEL', field)
    local remaining = {}
    for k in string.gmatch(keys, '[^\n]+') do if k ~= key then remaining[#remaining + 1] = k end end
    if #remaining == 0 then redis.call('HDEL', skeys, session) else redis.call('HSET', skeys, session, table.concat(remaining, '\n')) end
    redis.call('SET', sizes, int(total))
  end
else
  if total + #ARGV[4] > tonumber(ARGV[7]) then return -3 end
  if not exists then
    local n = 0
    for _ in string.gmatch(keys, '[^\n]+') do n = n + 1 end
    if n >= tonumber(ARGV[6]) then return -2 end
    if keys == '' then keys = key else keys = keys .. '\n' .. key end
    redis.call('HSET', skeys, session, keys)
  end
  redis.call('SET', field, ARGV[4])
  redis.call('SET', sizes, int(total + #ARGV[4]))
end
touch_session(session, tonumber(ARGV[5]))
return 1
