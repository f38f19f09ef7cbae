-- ARGV: id, detail. Notes what was open at a running job's execution deadline; the sweep that times it out writes
-- 'TIMED_OUT after <executionTimeout> ms: <detail>' as its error. Returns 1 when noted, 0 when the job is not running.
local id = ARGV[1]
if jget(id, 'st') ~= IN_PROGRESS then return 0 end
jset(id, 'diag', ARGV[2])
return 1
