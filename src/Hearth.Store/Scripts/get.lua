-- ARGV: id. Returns the job's fields, or an empty list when it does not exist.
local id = ARGV[1]
local s = redis.call('HGET', st, id)
if not s then return {} end
return {s, redis.call('HGET', wid, id), redis.call('HGET', delay, id), redis.call('HGET', exec, id),
  redis.call('GET', out .. ':' .. id), redis.call('HGET', err, id), redis.call('HGET', why, id),
  redis.call('HGET', att, id), redis.call('HGET', lost, id), redis.call('HGET', sub, id), redis.call('HGET', hook, id),
  redis.call('HGET', trace, id), redis.call('HGET', exe, id)}
