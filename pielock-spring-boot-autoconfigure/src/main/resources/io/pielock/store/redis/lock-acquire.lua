-- Takes a lock if it is free: owner token and lease are set in one command (SET NX PX), then a fencing token is
-- issued.
-- KEYS[1] lock key, KEYS[2] fencing counter, KEYS[3] waiters marker (one hash tag, so one Cluster slot)
-- ARGV[1] owner token, ARGV[2] lease in ms (the fencing counter is kept as long),
-- ARGV[3] 0 for a single attempt, else how long (ms) to mark the lock as waited for if it is held elsewhere
-- Returns {1, fencing token} when acquired, {0, holder's remaining lease in ms} when held elsewhere.
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
    return {1, issue_fencing_token(KEYS[2], ARGV[2])}
end
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
    -- This very acquisition ran before and its reply was lost: the client reconnected and sent it again
    -- (Lettuce retries unanswered commands). The lock is already the caller's; answer as the first run did.
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    local issued = redis.call('GET', KEYS[2])
    return {1, issued and tonumber(issued) or issue_fencing_token(KEYS[2], ARGV[2])}
end
if ARGV[3] ~= '0' then
    -- the release will announce itself only while someone waits
    redis.call('SET', KEYS[3], '1', 'PX', ARGV[3])
end
return {0, redis.call('PTTL', KEYS[1])}
