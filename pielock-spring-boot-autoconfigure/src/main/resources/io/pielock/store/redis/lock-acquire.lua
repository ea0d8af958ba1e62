-- Takes a lock if it is free: owner token and lease are set in one command, then a fencing token is issued.
-- KEYS[1] lock key, KEYS[2] fencing counter (same hash tag, so same Cluster slot)
-- ARGV[1] owner token, ARGV[2] lease in ms, ARGV[3] how long to keep the fencing counter, in ms
-- Returns {1, fencing token} when acquired, {0, holder's remaining lease in ms} when held elsewhere.
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
    -- This very acquisition ran before and its reply was lost: the client reconnected and sent it again
    -- (Lettuce retries unanswered commands). The lock is already the caller's; answer as the first run did.
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    local issued = redis.call('GET', KEYS[2])
    if issued then
        return {1, tonumber(issued)}
    end
elseif holder then
    return {0, redis.call('PTTL', KEYS[1])}
else
    redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
end
-- Server time in microseconds: tokens keep rising even when the counter was lost (restart, expiry).
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local last = tonumber(redis.call('GET', KEYS[2]) or '0')
local token = math.max(now, last + 1)
redis.call('SET', KEYS[2], string.format('%.0f', token), 'PX', ARGV[3])
return {1, token}
