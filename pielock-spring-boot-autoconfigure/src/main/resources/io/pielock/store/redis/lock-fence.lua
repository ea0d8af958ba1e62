-- Shared by the scripts that give a lock a new owner (prepended to them when they are loaded).
-- Issues the next fencing token of a lock: server time in microseconds, or one more than the last token when the
-- clock has not moved past it, so tokens keep rising even when the counter was lost (restart, expiry).
-- The counter lives as long as the lease it was issued with (retention_ms): any later token is either issued
-- while it exists, or at least that long after it, so tokens rise unless the server's clock steps back by more.
local function issue_fencing_token(fence_key, retention_ms)
    local time = redis.call('TIME')
    -- the digits of seconds * 10^6 + microseconds, written without floating-point formatting
    local now = time[1] .. string.sub('00000' .. time[2], -6)
    local last = redis.call('SET', fence_key, now, 'PX', retention_ms, 'GET')
    local token = tonumber(now)
    if last then
        local previous = tonumber(last)
        if previous >= token then
            token = previous + 1
            redis.call('SET', fence_key, string.format('%.0f', token), 'PX', retention_ms)
        end
    end
    return token
end
