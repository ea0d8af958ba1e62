-- Deletes the lock only while the caller still owns it, and tells waiters in every process, if there are any.
-- KEYS[1] lock key, KEYS[2] waiters marker (same hash tag); ARGV[1] owner token, ARGV[2] release channel,
-- ARGV[3] lock name (the message), ARGV[4] PUBLISH, or SPUBLISH for the sharded channels of Redis Cluster (taken
-- only from Redis 7 on, which is when scripts know REDIS_VERSION_NUM and the server knows SPUBLISH).
-- Returns 1 if released, 0 if not the owner (nothing changed).
if redis.call('GET', KEYS[1]) == ARGV[1] then
    redis.call('DEL', KEYS[1])
    -- nobody waits unless a failed attempt marked the lock: then no message is sent at all
    if redis.call('GET', KEYS[2]) then
        redis.call((ARGV[4] == 'SPUBLISH' and redis.REDIS_VERSION_NUM) and 'SPUBLISH' or 'PUBLISH', ARGV[2], ARGV[3])
    end
    return 1
end
return 0
