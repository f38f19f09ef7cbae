-- ARGV: id, detail. Rewrites the error of a TIMED_OUT job to name what was open at the deadline:
-- 'TIMED_OUT after <executionTimeout> ms: <detail>'. Returns 1 when rewritten, 0 when the job is gone or not TIMED_OUT.
local id = ARGV[1]
if redis.call('HGET', st, id) ~= 'TIMED_OUT' then return 0 end
redis.call('HSET', err, id, 'TIMED_OUT after ' .. (redis.call('HGET', exe, id) or '?') .. ' ms: ' .. ARGV[2])
return 1
