-- Deletes the lock only while the caller still owns it, and tells waiters in every process.
-- KEYS[1] lock key; ARGV[1] owner token, ARGV[2] release channel, ARGV[3] lock name (the message).
-- Returns 1 if released, 0 if not the owner (nothing changed).
if redis.call('GET', KEYS[1]) == ARGV[1] then
    redis.call('DEL', KEYS[1])
    redis.call('PUBLISH', ARGV[2], ARGV[3])
    return 1
end
return 0
