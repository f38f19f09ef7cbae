-- KEYS: leader key, epoch key (not endpoint keys: leadership is cluster-wide, both share the {hearth} tag).
-- ARGV: owner, leaseMs. Acquires or renews; returns the fencing epoch when this owner leads, else 0.
local current = redis.call('GET', KEYS[1])
if current and current ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
if not current then return redis.call('INCR', KEYS[2]) end
return tonumber(redis.call('GET', KEYS[2]) or '0')
