-- The raw floor's release: delete the lock only while it holds the caller's token.
-- KEYS[1] lock key; ARGV[1] the caller's token. Returns 1 if deleted, 0 if someone else holds it.
if redis.call('GET', KEYS[1]) == ARGV[1] then
    return redis.call('DEL', KEYS[1])
end
return 0
