-- Takes a lock if it is free: owner token and lease are set in one command (SET NX PX), then a fencing token is
-- issued. A waiting caller that finds it held is queued (lock-queue.lua): the release may give it the lock.
-- KEYS[1] lock key, KEYS[2] fencing counter, KEYS[3] wait queue (one hash tag, so one Cluster slot)
-- ARGV[1] owner token, ARGV[2] lease in ms (the fencing counter is kept as long),
-- ARGV[3] 0 for a single attempt, else how long (ms) the caller stays queued if the lock is held elsewhere (it
-- promises to try again within that time), ARGV[4] 1 if the caller takes grants (a release may give it the lock and
-- tell it so), 0 if it only wants to hear of the release, ARGV[5] the caller's listener (a release tells it on the
-- lock's release channel followed by ":<listener>"; none: on the release channel itself)
-- Returns {1, fencing token} when acquired, {0, holder's remaining lease in ms} when held elsewhere; to a caller
-- that takes grants, {0, holder's remaining lease in ms, last fencing token issued (0 if the counter is gone)}: a
-- grant message with a higher token was issued after this attempt.
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
    if ARGV[3] ~= '0' then
        redis.call('HDEL', KEYS[3], ARGV[1])
    end
    return {1, issue_fencing_token(KEYS[2], ARGV[2])}
end
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
    -- The lock was given to this waiter by a release (the caller did not hear of it, or not yet), or this very
    -- acquisition ran before and its reply was lost (Lettuce sends unanswered commands again after reconnecting).
    -- Either way the lock is already the caller's: its lease counts from now, its fencing token is the last issued.
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    local issued = redis.call('GET', KEYS[2])
    return {1, issued and tonumber(issued) or issue_fencing_token(KEYS[2], ARGV[2])}
end
if ARGV[3] ~= '0' then
    enqueue_waiter(KEYS[3], ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4] or '0', ARGV[5] or '')
    if ARGV[4] == '1' then
        return {0, redis.call('PTTL', KEYS[1]), tonumber(redis.call('GET', KEYS[2]) or '0')}
    end
end
return {0, redis.call('PTTL', KEYS[1])}
