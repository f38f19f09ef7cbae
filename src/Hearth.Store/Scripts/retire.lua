-- ARGV: worker, now. The worker asked to stop (stopPod) and its process exits: it is handed nothing more (take).
redis.call('HSET', retired, ARGV[1], ARGV[2])
return 1
