-- Releases the lock only while the caller still owns it, and passes it to the process waiting longest, if any
-- (lock-queue.lua): nobody waiting, nothing is published.
-- KEYS[1] lock key, KEYS[2] fencing counter, KEYS[3] wait queue (one hash tag); ARGV[1] owner token, ARGV[2] release
-- channel, ARGV[3] PUBLISH, or SPUBLISH for the sharded channels of Redis Cluster (taken only from Redis 7 on, which
-- is when scripts know REDIS_VERSION_NUM and the server knows SPUBLISH).
-- Returns 1 if released (or given to a waiter), 0 if not the owner (nothing changed).
if redis.call('GET', KEYS[1]) == ARGV[1] then
    redis.call('DEL', KEYS[1])
    local token, lease, grantable, listener = oldest_waiter(KEYS[3])
    if token then
        pass_to(KEYS[1], KEYS[2], KEYS[3], ARGV[2], ARGV[3], token, lease, grantable, listener)
    end
    return 1
end
return 0
