-- ARGV: worker, now, leaseMs, max. Returns a flat list: id, payload, attempt, ...
local worker, now, lease, max = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
redis.call('HSET', wk, worker, ARGV[2])
-- Retired (stopPod): its process exits after that job, so calls within a moment of it are that process. A take after
-- a quiet spell comes from a new process under the same id (a restart), which is served again.
local retired_at = redis.call('HGET', retired, worker)
if retired_at then
  if now - tonumber(retired_at) < RESTART_QUIET_MS then return {} end
  redis.call('HDEL', retired, worker)
end
local res = {}
local n = 0
local parkedAny = 0

-- Session affinity: a job of a named session goes to the worker its session is bound to while that worker is alive
-- (seen within two leases); the first job of a session, or one whose worker is gone, binds it to the taker.
local function alive(w) local seen = redis.call('HGET', wk, w); return seen and tonumber(seen) >= now - 2 * lease end
local function claim(id)
  local session = jget(id, 'sess')
  if not named(session) then return true end
  local bound = redis.call('HGET', sbind, session)
  if bound and bound ~= worker and alive(bound) then return false end
  redis.call('HSET', sbind, session, worker)
  touch_session(session, now)
  return true
end

local function grant(id)
    local key = jkey(id)
    local f = redis.call('HMGET', key, 'att', 'sub', 'exe')
    local a = tonumber(f[1] or '0') + 1
    redis.call('HSET', key, 'st', IN_PROGRESS, 'att', int(a), 'wid', worker, 'start', ARGV[2],
      'delay', int(now - tonumber(f[2])))
    redis.call('HDEL', key, 'ack')
    redis.call('HSET', hold, id, worker)
    redis.call('HDEL', stops, id)
    redis.call('ZADD', leases, int(now + lease), id)
    redis.call('ZADD', dead, int(now + tonumber(f[3])), id)
    res[#res + 1] = id
    res[#res + 1] = payload(id)
    res[#res + 1] = a
    n = n + 1
end

-- Sets a job aside for its session's bound worker, indexed under that worker ('worker\tsubmitted\tid', all scored 0,
-- so a worker finds its own with one ZRANGEBYLEX).
local function park(id)
  local f = redis.call('HMGET', jkey(id), 'sub', 'sess')
  local at = f[1]
  local member = (redis.call('HGET', sbind, f[2]) or '') .. '\t' .. string.format('%015d', tonumber(at)) .. '\t' .. id
  redis.call('ZADD', parked, at, id)
  redis.call('ZADD', pbyw, 0, member)
  jset(id, 'pmem', member)
end

local function from_parked(ids)
  for _, id in ipairs(ids) do
    if n >= max then break end
    if jget(id, 'st') ~= IN_QUEUE then
      unpark(id)
    elseif claim(id) then
      unpark(id)
      grant(id)
    end
  end
end

-- Jobs set aside for their session's worker: this worker's own, oldest first, through its index; then the oldest
-- few of all, which this worker takes over when their worker is gone. Neither reads the whole set.
if max > 0 then
  local own = {}
  for _, m in ipairs(redis.call('ZRANGEBYLEX', pbyw, '[' .. worker .. '\t', '[' .. worker .. '\t\255', 'LIMIT', 0, max)) do
    own[#own + 1] = string.match(m, '([^\t]*)$')
  end
  from_parked(own)
  if n < max then from_parked(redis.call('ZRANGE', parked, 0, 31)) end
end

while n < max do
  local id = queue_head('Q', true)
  if not id then id = queue_head('QL', true) end
  if not id then break end
  -- Queues hold tombstones of jobs cancelled or deleted meanwhile; those are skipped.
  if jget(id, 'st') == IN_QUEUE then
    queued_add(id, -1)
    if claim(id) then
      grant(id)
    else
      park(id)
      parkedAny = 1
    end
  end
end
-- A trailing element (after the id, payload, attempt triples) says a job was set aside for its session's worker,
-- so the caller wakes that worker.
if parkedAny == 1 then res[#res + 1] = 'parked' end
return res
