-- ARGV: recentCap, then per job: the number of its arguments, then its arguments (see submit_job in the prelude).
-- Returns one outcome per job, in order. One script for a /run or a whole /runbatch.
local res = {}
local i = 2
while i <= #ARGV do
  local n = tonumber(ARGV[i])
  res[#res + 1] = submit_job({unpack(ARGV, i + 1, i + n)})
  i = i + n + 1
end
trim_recent(tonumber(ARGV[1]))
return res
