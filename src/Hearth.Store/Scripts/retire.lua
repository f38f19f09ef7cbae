-- ARGV: worker
redis.call('HSET', retired, ARGV[1], '1')
return 1
