-- Shared by the scripts that give a lock a new owner (prepended to them when they are loaded).
-- Issues the next fencing token of a lock: server time in microseconds, or one more than the last token when the
-- clock has not moved on, so tokens keep rising even when the counter was lost (restart, expiry).
local function issue_fencing_token(fence_key, retention_ms)
    local time = redis.call('TIME')
    local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
    local last = tonumber(redis.call('GET', fence_key) or '0')
    local token = math.max(now, last + 1)
    redis.call('SET', fence_key, string.format('%.0f', token), 'PX', retention_ms)
    return token
end

