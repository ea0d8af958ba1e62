-- Extends the lease only while the caller still owns the lock.
-- KEYS[1] lock key; ARGV[1] owner token, ARGV[2] lease in ms. Returns 1 if renewed, 0 if not the owner.
if redis.call('GET', KEYS[1]) == ARGV[1] then
    return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
