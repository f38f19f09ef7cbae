-- ARGV: id. The job's summary fields (as recent.lua), then its payload and output; empty when it does not exist.
local id = ARGV[1]
local f = redis.call('HMGET', jkey(id), 'st', 'sub', 'start', 'delay', 'exec', 'wid', 'sess', 'err', 'why')
if not f[1] then return {} end
return {id, f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], payload(id), redis.call('GET', out .. ':' .. id)}
