-- ARGV: id, retryAt (ms; 0 when the delivery is over: delivered, refused or given up), attempts made.
-- Ends a claimed delivery, or puts it back to be claimed again at retryAt. A delivery no longer in hooks (deleted
-- with its job meanwhile) is left alone.
local id, retry_at = ARGV[1], tonumber(ARGV[2])
if not redis.call('ZSCORE', hooks, id) then return 0 end
if retry_at == 0 then
  redis.call('ZREM', hooks, id)
  redis.call('HDEL', jkey(id), 'hookn')
else
  redis.call('ZADD', hooks, int(retry_at), id)
  jset(id, 'hookn', ARGV[3])
end
return 1
