-- Takes a waiter that gives up out of the lock's wait queue; if a release gave it the lock meanwhile, the lock is
-- the caller's (its lease counts from now), and the caller decides whether to keep or release it.
-- KEYS[1] lock key, KEYS[2] fencing counter, KEYS[3] wait queue (one hash tag); ARGV[1] owner token, ARGV[2] lease in ms
-- Returns {1, fencing token} when the caller owns the lock, {0, holder's remaining lease in ms} otherwise.
if redis.call('GET', KEYS[1]) == ARGV[1] then
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    return {1, tonumber(redis.call('GET', KEYS[2]) or '0')}
end
redis.call('HDEL', KEYS[3], ARGV[1])
return {0, redis.call('PTTL', KEYS[1])}
