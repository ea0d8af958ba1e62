-- Stores a price unless one with a higher fencing token is already stored, in one atomic step.
-- KEYS[1] the item's price hash
-- ARGV[1] price in cents, ARGV[2] fencing token of the writer's lock
-- Returns 1 when stored, 0 when rejected as stale.
local stored = redis.call('HGET', KEYS[1], 'token')
if stored and tonumber(ARGV[2]) < tonumber(stored) then
    return 0
end
redis.call('HSET', KEYS[1], 'cents', ARGV[1], 'token', ARGV[2])
return 1
