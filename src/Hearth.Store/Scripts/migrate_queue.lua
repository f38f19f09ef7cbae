-- Moves a layout-1 queue (one list at the queue's own key) into segments (see StoreLayout), one segment per call.
-- ARGV: kind ('Q' or 'QL'). Returns how many ids the list still holds.
local kind = ARGV[1]
local list = kind == 'Q' and q or ql
-- Stores written before the live counters had no tombstones: their list length is the count.
if redis.call('HEXISTS', stats, kind) == 0 then redis.call('HSET', stats, kind, redis.call('LLEN', list)) end
for _ = 1, SEGMENT do
  local id = redis.call('LPOP', list)
  if not id then break end
  push_back(kind, id)
end
return redis.call('LLEN', list)
