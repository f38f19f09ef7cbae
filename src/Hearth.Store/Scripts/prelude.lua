-- Shared helpers, prepended to every script after the KEYS locals.
-- Portable between Lua 5.1 (Redis) and 5.4 (Garnet): numbers are written with int(), never tostring().

-- The wire contract: job statuses (Hearth.Core.Jobs.JobStatus) and the reasons of platform-decided final states
-- (Hearth.Core.Jobs.JobReasons). ScriptContractTests holds these to Core's and finds any literal left elsewhere.
local IN_QUEUE, IN_PROGRESS, COMPLETED = 'IN_QUEUE', 'IN_PROGRESS', 'COMPLETED'
local FAILED, CANCELLED, TIMED_OUT = 'FAILED', 'CANCELLED', 'TIMED_OUT'
local R_WORKER_LOST_LIMIT, R_EXECUTION_TIMEOUT = 'worker_lost_limit', 'execution_timeout'
local R_CANCELLED, R_PURGED, R_HANDLER_ERROR = 'cancelled', 'purged', 'handler_error'
local unpack = table.unpack or unpack
local SEGMENT = 1024
local RESTART_QUIET_MS = 2000 -- RedisHearthStore.RestartQuietMs
local RUNAWAY_GRACE_MS = 10000 -- RunawayRule.Grace
local function int(n) return string.format('%d', n) end

-- A job's small fields live in a hash of its own, job:<id> (their names: JobFields in EndpointKeys), so a deep queue
-- is many small records that a store larger than memory moves to disk one by one.
local function jkey(id) return job .. ':' .. id end
local function jget(id, field) return redis.call('HGET', job .. ':' .. id, field) end
local function jset(id, field, value) redis.call('HSET', job .. ':' .. id, field, value) end

-- Deadlines by the second: an index zset holds the seconds that have a deadline, scored by the second, and each
-- second's own zset (<index>:<second>) its ids, scored by the deadline in ms. No record grows with the queue; a job
-- keeps its deadline in its hash (the field named like the index), so removing it costs O(log n) within one second.
local function due_add(index, id, at)
  local second = int(math.floor(at / 1000))
  local key = index .. ':' .. second
  redis.call('ZADD', key, int(at), id)
  if redis.call('ZCARD', key) == 1 then redis.call('ZADD', index, second, second) end
end

local function due_remove(index, id, at)
  if not at then return end
  local second = int(math.floor(tonumber(at) / 1000))
  local key = index .. ':' .. second
  if redis.call('ZREM', key, id) == 1 and redis.call('ZCARD', key) == 0 then redis.call('ZREM', index, second) end
end

-- Up to limit ids whose deadline is at or before now, soonest first.
local function due(index, now, limit)
  local ids = {}
  for _, second in ipairs(redis.call('ZRANGEBYSCORE', index, '-inf', int(math.floor(now / 1000)), 'LIMIT', 0, limit)) do
    local key = index .. ':' .. second
    for _, id in ipairs(redis.call('ZRANGEBYSCORE', key, '-inf', int(now), 'LIMIT', 0, limit - #ids)) do
      ids[#ids + 1] = id
    end
    if #ids >= limit then break end
  end
  return ids
end

local function named(session) return session and string.sub(session, 1, 4) ~= 'job:' end

-- Deletes a session's journal, its step metadata, its state and its binding.
local function delete_session(session)
  local index = redis.call('HGET', jidx, session)
  if index then
    for key in string.gmatch(index, '[^\n]+') do
      redis.call('DEL', journal .. ':' .. session .. '\n' .. key)
      redis.call('HDEL', jmeta, session .. '\n' .. key)
    end
  end
  local keys = redis.call('HGET', skeys, session)
  if keys then
    for key in string.gmatch(keys, '[^\n]+') do redis.call('DEL', sstate .. ':' .. session .. '\n' .. key) end
  end
  redis.call('HDEL', jmeta, session .. '\n')
  redis.call('DEL', sstate .. ':' .. session .. '\n')
  for _, h in ipairs({jidx, skeys, stouch, sbind, sidle}) do redis.call('HDEL', h, session) end
  redis.call('ZREM', sexp, session)
end

-- Records activity on a named session: it expires its idle timeout after the last one.
local function touch_session(session, now)
  if not named(session) then return end
  redis.call('HSET', stouch, session, int(now))
  redis.call('ZADD', sexp, int(now + tonumber(redis.call('HGET', sidle, session) or '1800000')), session)
end

-- A payload is kept in pieces small enough for the store to hold inline (Garnet cannot reliably recover larger
-- values): req:<id> holds the first, req:<id>:2 ... the rest, and rqn the count when there is more than one.
local function payload(id)
  local first = redis.call('GET', req .. ':' .. id)
  local n = tonumber(jget(id, 'rqn') or '1')
  if not first or n == 1 then return first end
  local parts = {first}
  for k = 2, n do parts[k] = redis.call('GET', req .. ':' .. id .. ':' .. int(k)) or '' end
  return table.concat(parts)
end

local function delete_payload(id)
  local n = tonumber(jget(id, 'rqn') or '1')
  for k = 2, n do redis.call('DEL', req .. ':' .. id .. ':' .. int(k)) end
  redis.call('DEL', req .. ':' .. id)
end

-- Takes a job out of the parked set and its bound worker's index; returns 1 when it was parked.
local function unpark(id)
  local member = jget(id, 'pmem')
  if member then
    redis.call('ZREM', pbyw, member)
    redis.call('HDEL', jkey(id), 'pmem')
  end
  return redis.call('ZREM', parked, id)
end

local function delete_job(id)
  -- A job's own journal (session job:<id>) goes with it; a named session's journal outlives its jobs.
  local session = jget(id, 'sess')
  if session and not named(session) then delete_session(session) end
  local n = tonumber(jget(id, 'sc') or '0')
  for i = 1, n do redis.call('DEL', sk .. ':' .. id .. ':' .. int(i)) end
  delete_payload(id)
  unpark(id)
  redis.call('DEL', out .. ':' .. id)
  local at = redis.call('HMGET', jkey(id), 'ttl', 'kept')
  due_remove(ttl, id, at[1])
  due_remove(kept, id, at[2])
  redis.call('DEL', jkey(id))
  for _, h in ipairs({hold, stops, stuck}) do redis.call('HDEL', h, id) end
  for _, z in ipairs({leases, dead, recent, hooks}) do redis.call('ZREM', z, id) end
end

-- Moves a job to a final state: run time, reason, retention deadline, counters, webhook outbox.
local function finalize(id, status, now, reason, errtext)
  local f = redis.call('HMGET', jkey(id), 'start', 'ret', 'hook', 'sess')
  jset(id, 'st', status)
  if f[1] then jset(id, 'exec', int(now - tonumber(f[1]))) end
  if reason then jset(id, 'why', reason) end
  if errtext then jset(id, 'err', errtext) end
  redis.call('HDEL', hold, id)
  redis.call('ZREM', leases, id)
  redis.call('ZREM', dead, id)
  local kept_until = int(now + tonumber(f[2] or '0'))
  jset(id, 'kept', kept_until)
  due_add(kept, id, tonumber(kept_until))
  redis.call('HINCRBY', stats, status, 1)
  if f[3] then
    redis.call('HDEL', jkey(id), 'hookn')
    redis.call('RPUSH', outbox, id)
  end
  touch_session(f[4], now)
end

-- 'ok' when worker holds the job's lease (and, if given, at that attempt); else 'missing' or 'notholder'.
local function holder_state(id, worker, attempt)
  local s = jget(id, 'st')
  if not s then return 'missing' end
  if s ~= IN_PROGRESS or redis.call('HGET', hold, id) ~= worker then return 'notholder' end
  if attempt ~= '' and jget(id, 'att') ~= attempt then return 'notholder' end
  redis.call('HSETNX', jkey(id), 'ack', '1')
  return 'ok'
end

-- Tells the job's current holder to stop it, remembering when (a holder still running it after a grace is a runaway).
local function signal_stop(id, now)
  local holder = redis.call('HGET', hold, id)
  if holder then
    redis.call('HSET', stops, id, holder)
    jset(id, 'stopat', int(now))
  end
end

-- The queues (q: normal, ql: lowPriority) are chains of short lists, the segments q:<n> from the head segment to the
-- tail segment (stats QH and QT; QLH and QLT), so no record grows with the queue: a new id goes to the tail segment,
-- which is closed when it holds SEGMENT ids; ids leave from the head segment, and a requeued one goes back to it.
-- Segments between head and tail are therefore always full. A job cancelled or deleted while queued leaves its id
-- behind as a tombstone that take skips, so cancel and expiry cost O(1); how many live ids a queue holds is counted
-- in stats (Q, QL).
local function segment(kind, n) return (kind == 'Q' and q or ql) .. ':' .. int(n) end

local function queue_ends(kind)
  local e = redis.call('HMGET', stats, kind .. 'H', kind .. 'T')
  return tonumber(e[1] or '0'), tonumber(e[2] or '0')
end

local function push_back(kind, id)
  local _, tail = queue_ends(kind)
  if redis.call('RPUSH', segment(kind, tail), id) >= SEGMENT then
    redis.call('HSET', stats, kind .. 'T', int(tail + 1))
  end
end

-- The id at the head of a queue, tombstones included (nil when empty), taken out of it when take is true.
local function queue_head(kind, take)
  local head, tail = queue_ends(kind)
  while true do
    local id
    if take then id = redis.call('LPOP', segment(kind, head)) else id = redis.call('LINDEX', segment(kind, head), 0) end
    if id then return id end
    if head >= tail then return nil end
    head = head + 1
    redis.call('HSET', stats, kind .. 'H', int(head))
  end
end

-- How many ids a queue holds, tombstones included.
local function queue_entries(kind)
  local head, tail = queue_ends(kind)
  local n = redis.call('LLEN', segment(kind, head))
  if tail > head then n = n + redis.call('LLEN', segment(kind, tail)) + (tail - head - 1) * SEGMENT end
  return n
end

local function queue_of(id) return jget(id, 'low') == '1' and 'QL' or 'Q' end

-- Counts a live id into (delta 1) or out of (-1) its queue.
local function queued_add(id, delta)
  redis.call('HINCRBY', stats, queue_of(id), delta)
end

local function queued_count(kind) return tonumber(redis.call('HGET', stats, kind) or '0') end

-- A queued job leaves the queue without being taken (cancel, purge, expiry): parked jobs are not in a list.
local function unqueue(id)
  if unpark(id) == 0 then queued_add(id, -1) end
end

local function enqueue_front(id)
  local kind = queue_of(id)
  redis.call('HINCRBY', stats, kind, 1)
  local head = queue_ends(kind)
  redis.call('LPUSH', segment(kind, head), id)
end

local function enqueue_back(id)
  local kind = queue_of(id)
  redis.call('HINCRBY', stats, kind, 1)
  push_back(kind, id)
end

-- The job's holder is lost (its lease expired, or its process was seen to exit; how says which): its session is
-- unbound, so the session's jobs go to whichever worker asks next, and the job goes back to the front of its queue,
-- or fails once it has lost more than maxlost holders. Returns true when it was requeued.
-- Takes a job from its holder and puts it back at the front of its queue, to be granted again as if new.
local function requeue_front(id)
  redis.call('HDEL', hold, id)
  redis.call('HDEL', jkey(id), 'start', 'ack')
  redis.call('ZREM', leases, id)
  redis.call('ZREM', dead, id)
  jset(id, 'st', IN_QUEUE)
  enqueue_front(id)
end

local function lose(id, now, maxlost, how)
  local l = redis.call('HINCRBY', jkey(id), 'lost', 1)
  local session = jget(id, 'sess')
  if session and redis.call('HGET', sbind, session) == redis.call('HGET', hold, id) then
    redis.call('HDEL', sbind, session)
  end
  if l > maxlost then
    finalize(id, FAILED, now, R_WORKER_LOST_LIMIT,
      'worker lost ' .. int(l) .. ' times (' .. how .. '); not retried again')
    return false
  end
  requeue_front(id)
  return true
end

-- Leases up to max queued jobs to worker (take, and the take a result makes for its worker's next jobs). Returns a
-- flat list: id, payload, attempt, ... and a trailing 'parked' when a job was set aside for its session's worker.
local function take_jobs(worker, nowarg, lease, max)
  local now = tonumber(nowarg)
  redis.call('HSET', wk, worker, nowarg)
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
      redis.call('HSET', key, 'st', IN_PROGRESS, 'att', int(a), 'wid', worker, 'start', nowarg,
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
    local mine = redis.call('ZRANGEBYLEX', pbyw, '[' .. worker .. '\t', '[' .. worker .. '\t\255', 'LIMIT', 0, max)
    for _, m in ipairs(mine) do
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
end

-- Queues one job. a: id, payload (its first piece), now, ttlMs, execTimeoutMs, retentionMs, low(0|1), webhook,
-- session, sessionIdleMs, idempotency key ('' for none), body hash, key ttlMs, trace context ('' for none), then the
-- payload's other pieces. Returns 1 queued, 0 id exists, {2, id} replay, {3, id} key reused. The caller trims
-- the recent-jobs index (trim_recent) once for all the jobs it queued.
local function submit_job(a)
  local id = a[1]
  if redis.call('HEXISTS', jkey(id), 'st') == 1 then return 0 end
  local now = tonumber(a[3])
  local ikey = a[11]
  if ikey ~= '' then
    local seen = redis.call('HGET', idem, ikey)
    if seen and tonumber(redis.call('ZSCORE', idemz, ikey) or '0') > now then
      local tab = string.find(seen, '\t', 1, true)
      local first = string.sub(seen, 1, tab - 1)
      if string.sub(seen, tab + 1) == a[12] then return {2, first} end
      return {3, first}
    end
    redis.call('HSET', idem, ikey, id .. '\t' .. a[12])
    redis.call('ZADD', idemz, int(now + tonumber(a[13])), ikey)
  end
  -- The job's small fields, written at once; optional ones only when set.
  local expires = int(now + tonumber(a[4]))
  local fields = {'st', IN_QUEUE, 'sub', a[3], 'exe', a[5], 'ret', a[6], 'att', '0', 'sess', a[9],
    'ttl', expires}
  redis.call('SET', req .. ':' .. id, a[2])
  -- Pieces after the first follow the fixed arguments (see payload() in the prelude).
  if #a > 14 then
    for k = 15, #a do redis.call('SET', req .. ':' .. id .. ':' .. int(k - 13), a[k]) end
    fields[#fields + 1], fields[#fields + 2] = 'rqn', int(#a - 13)
  end
  if a[8] ~= '' then fields[#fields + 1], fields[#fields + 2] = 'hook', a[8] end
  if a[14] and a[14] ~= '' then fields[#fields + 1], fields[#fields + 2] = 'trace', a[14] end
  if a[7] == '1' then fields[#fields + 1], fields[#fields + 2] = 'low', '1' end
  redis.call('HSET', jkey(id), unpack(fields))
  if named(a[9]) then
    redis.call('HSET', sidle, a[9], a[10])
    touch_session(a[9], now)
  end
  due_add(ttl, id, tonumber(expires))
  redis.call('ZADD', recent, a[3], id)
  enqueue_back(id)
  return 1
end

-- The recent-jobs index stays bounded: past the cap, the oldest entries leave it (the jobs themselves stay).
local function trim_recent(cap)
  if redis.call('ZCARD', recent) > cap then redis.call('ZREMRANGEBYRANK', recent, 0, -(cap + 1)) end
end
