-- Passes a lock from its owner to the next owner in the same process, in one step, with a new fencing token:
-- a local handover costs one round trip instead of a release and an acquisition. Gives way instead when another
-- process waits in the lock's queue (lock-queue.lua), unless the caller asks to go ahead of it (ARGV[6], which
-- LockTemplate sends after every third time its process gave way): then the lock goes to that process (or is
-- released and announced), so processes take turns; the next owner in this process then queues with its own
-- attempt.
-- KEYS[1] lock key, KEYS[2] fencing counter, KEYS[3] wait queue (one hash tag)
-- ARGV[1] current owner token, ARGV[2] next owner token, ARGV[3] lease in ms (the fencing counter is kept as
-- long), ARGV[4] release channel, ARGV[5] PUBLISH, or SPUBLISH for the sharded channels of Redis Cluster (taken
-- only from Redis 7 on), ARGV[6] 1 if the next owner goes ahead of other processes' waiters (they stay queued,
-- at their place), 0 if it gives way to them
-- Returns {1, fencing token} when handed over, {0, -1} when it went to another process's waiter (the next owner
-- then waits its turn), {0, ttl} when the current owner no longer holds it (ttl: remaining lease of whoever
-- does, 0 if nobody).
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[2] then
    -- re-sent after a lost reply: the handover happened
    redis.call('PEXPIRE', KEYS[1], ARGV[3])
    local issued = redis.call('GET', KEYS[2])
    if issued then
        return {1, tonumber(issued)}
    end
    return {1, issue_fencing_token(KEYS[2], ARGV[3])}
end
if holder ~= ARGV[1] then
    return {0, math.max(0, redis.call('PTTL', KEYS[1]))}
end
local token, lease, grantable, listener
if ARGV[6] ~= '1' then
    token, lease, grantable, listener = oldest_waiter(KEYS[3])
end
if token then
    redis.call('DEL', KEYS[1])
    pass_to(KEYS[1], KEYS[2], KEYS[3], ARGV[4], ARGV[5], token, lease, grantable, listener)
    return {0, -1}
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return {1, issue_fencing_token(KEYS[2], ARGV[3])}
