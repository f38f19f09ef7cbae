-- ARGV: job, worker, step key, value JSON, now, most steps. Journals a step result for the job's session, fenced by
-- the lease. Returns 1 written, 2 already journaled (first write wins), 0 no such job, -1 not the holder, -2 the
-- session already journals the most steps it may (nothing written). The count is kept in jmeta under the
-- session's name and an empty step key (a step key is never empty).
local id = ARGV[1]
local hs = holder_state(id, ARGV[2], '')
if hs == 'missing' then return 0 end
if hs ~= 'ok' then return -1 end
local session = jget(id, 'sess')
local field = session .. '\n' .. ARGV[3]
if redis.call('EXISTS', journal .. ':' .. field) == 1 then return 2 end
if tonumber(redis.call('HGET', jmeta, session .. '\n') or '0') >= tonumber(ARGV[6]) then return -2 end
redis.call('HINCRBY', jmeta, session .. '\n', 1)
redis.call('SET', journal .. ':' .. field, ARGV[4])
redis.call('HSET', jmeta, field, id .. '\t' .. ARGV[5])
local index = redis.call('HGET', jidx, session)
if index then index = index .. '\n' .. ARGV[3] else index = ARGV[3] end
redis.call('HSET', jidx, session, index)
touch_session(session, tonumber(ARGV[5]))
return 1
