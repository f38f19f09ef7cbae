-- ARGV: id. Returns the job's fields, or an empty list when it does not exist.
local id = ARGV[1]
local f = redis.call('HMGET', jkey(id), 'st', 'wid', 'delay', 'exec', 'err', 'why', 'att', 'lost', 'sub', 'hook',
  'trace', 'exe', 'sess', 'spans')
if not f[1] then return {} end
return {f[1], f[2], f[3], f[4], redis.call('GET', out .. ':' .. id), f[5], f[6], f[7], f[8], f[9], f[10], f[11],
  f[12], f[13], f[14]}
