-- Decides one call against every limit of one key: an exact sliding window per limit, over a sorted set of the
-- calls it admitted (score: server time in microseconds; member: the call's permit, unique to the call, so two
-- calls in the same microsecond stay two members).
-- KEYS[i] the sorted set of limit i (all in one hash tag, so one Cluster slot and one atomic decision)
-- ARGV[1] permit; ARGV[2i] window of limit i in ms; ARGV[2i+1] count of limit i
-- Returns {allowed (1 or 0), remaining of limit 1, retry-after of limit 1 in us, remaining of limit 2, ...}.
-- A denied call is recorded nowhere, so the sets never hold more than count members.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local reply = {1}
for i = 1, #KEYS do
    local window = tonumber(ARGV[2 * i]) * 1000
    local count = tonumber(ARGV[2 * i + 1])
    -- a call made at or before now - window has left the window (%.0f: Lua would print 1.7e+15 otherwise)
    redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', string.format('%.0f', now - window))
    local used = redis.call('ZCARD', KEYS[i])
    if used < count then
        reply[2 * i] = count - used
        reply[2 * i + 1] = 0
    else
        -- room again once the call that filled the window leaves it
        local filler = redis.call('ZRANGE', KEYS[i], used - count, used - count, 'WITHSCORES')
        reply[1] = 0
        reply[2 * i] = 0
        reply[2 * i + 1] = tonumber(filler[2]) + window - now
    end
end
if reply[1] == 1 then
    local score = string.format('%.0f', now)
    for i = 1, #KEYS do
        redis.call('ZADD', KEYS[i], score, ARGV[1])
        -- the newest call leaves the window when the key expires: idle keys vanish
        redis.call('PEXPIRE', KEYS[i], ARGV[2 * i])
        reply[2 * i] = reply[2 * i] - 1
    end
end
return reply
