-- ARGV: now, maxWorkerLost, batch. Returns {requeued...}, {finalized...}, {deleted...}, {expired sessions...},
-- {expired...}: the deleted jobs that TTL removed before they reached a final state.
local now, maxlost, batch = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local requeued, finalized, deleted, expired, unfinished = {}, {}, {}, {}, {}

-- Execution deadlines first: a job past both its deadline and its lease timed out.
for _, id in ipairs(redis.call('ZRANGEBYSCORE', dead, '-inf', ARGV[1], 'LIMIT', 0, batch)) do
  redis.call('ZREM', dead, id)
  local f = redis.call('HMGET', jkey(id), 'st', 'diag', 'exe')
  if f[1] == IN_PROGRESS then
    signal_stop(id, now)
    -- A diagnosis noted before this sweep names what was open at the deadline (timeout diagnosis).
    local note = f[2]
    finalize(id, TIMED_OUT, now, R_EXECUTION_TIMEOUT, note and ('TIMED_OUT after ' .. f[3] .. ' ms: ' .. note)
      or ('execution timeout: still running ' .. f[3] .. ' ms after a worker took it'))
    finalized[#finalized + 1] = id
  end
end

-- Expired leases: the holder stopped heartbeating. Requeue at the front, or give up past the cap. A holder seen since
-- the grant that never showed it had the job (no heartbeat listed it, no call as its holder) never got the take's
-- answer: the job goes back without counting a lost worker.
for _, id in ipairs(redis.call('ZRANGEBYSCORE', leases, '-inf', ARGV[1], 'LIMIT', 0, batch)) do
  redis.call('ZREM', leases, id)
  local f = redis.call('HMGET', jkey(id), 'st', 'ack', 'start')
  if f[1] == IN_PROGRESS then
    local holder = redis.call('HGET', hold, id)
    -- A holder that is only partitioned learns to stop when it reconnects.
    redis.call('HSET', stops, id, holder)
    local seen = holder and tonumber(redis.call('HGET', wk, holder) or '0') or 0
    if not f[2] and f[3] and seen > tonumber(f[3]) then
      requeue_front(id)
      requeued[#requeued + 1] = id
    elseif lose(id, now, maxlost, 'lease expired without a heartbeat') then
      requeued[#requeued + 1] = id
    else
      finalized[#finalized + 1] = id
    end
  end
end

-- TTL is a hard limit from submission: the job is deleted whatever its state.
for _, id in ipairs(due(ttl, now, batch)) do
  local s = jget(id, 'st')
  if s == IN_QUEUE then unqueue(id) end
  if s == IN_QUEUE or s == IN_PROGRESS then unfinished[#unfinished + 1] = id end
  -- A live holder learns at its next heartbeat: the job is gone, so it is told to stop it.
  delete_job(id)
  deleted[#deleted + 1] = id
end

-- Result retention ended.
for _, id in ipairs(due(kept, now, batch)) do
  delete_job(id)
  deleted[#deleted + 1] = id
end

-- Named sessions idle past their timeout: journal, state and binding go.
for _, session in ipairs(redis.call('ZRANGEBYSCORE', sexp, '-inf', ARGV[1], 'LIMIT', 0, batch)) do
  delete_session(session)
  expired[#expired + 1] = session
end

-- Idempotency keys past their window.
for _, key in ipairs(redis.call('ZRANGEBYSCORE', idemz, '-inf', ARGV[1], 'LIMIT', 0, batch)) do
  redis.call('HDEL', idem, key)
  redis.call('ZREM', idemz, key)
end

return {requeued, finalized, deleted, expired, unfinished}
