-- ARGV: worker, now, leaseMs, max. Returns a flat list: id, payload, attempt, ... (see take_jobs in the prelude).
return take_jobs(ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]))
