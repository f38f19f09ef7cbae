-- ARGV: id. The job's summary fields (as recent.lua), then its payload and output; empty when it does not exist.
local id = ARGV[1]
local s = redis.call('HGET', st, id)
if not s then return {} end
return {id, s, redis.call('HGET', sub, id), redis.call('HGET', start, id), redis.call('HGET', delay, id),
  redis.call('HGET', exec, id), redis.call('HGET', wid, id), redis.call('HGET', sess, id), redis.call('HGET', err, id),
  redis.call('HGET', why, id), payload(id), redis.call('GET', out .. ':' .. id)}
