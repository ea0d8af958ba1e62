-- Shared by the scripts that queue waiters or give a lock away (prepended to them when they are loaded, after
-- lock-fence.lua).
-- A lock's wait queue is one hash beside the lock (same hash tag): field = a waiting acquisition's owner token,
-- value = "<arrival in us> <deadline in ms> <lease in ms> <grantable: 1 or 0>[ <listener>]", times on the server's
-- clock. The lease is what the lock is passed on with: the waiter's own, but at most its promise window plus one
-- second, so that a lock passed to a process that has just died frees itself within seconds; the waiter, alive,
-- renews it to its full lease once a third of it has passed. The listener names the waiter's own channel: the
-- lock's release channel followed by ":<listener>", to which only the waiter's process subscribes, so what a
-- release says to the waiter reaches that process alone (an entry without one is told on the release channel
-- itself). At most one acquisition per process and lock waits in Redis (the others queue in their process), so the
-- hash stays as small as the number of processes waiting. A waiter stays queued while it keeps its promise to try
-- again before its deadline; the hash lives as long as its latest deadline.

local function server_ms_us()
    local time = redis.call('TIME')
    return time[1] * 1000 + math.floor(time[2] / 1000), time[1] * 1000000 + time[2]
end

-- Queues (or keeps queued, at its place) a waiting acquisition until now + within_ms.
local function enqueue_waiter(queue_key, token, lease_ms, within_ms, grantable, listener)
    lease_ms = math.min(tonumber(lease_ms), within_ms + 1000)
    local now_ms, now_us = server_ms_us()
    local arrival = now_us
    local entry = redis.call('HGET', queue_key, token)
    if entry then
        arrival = tonumber(string.match(entry, '^(%d+)'))
    end
    local listened = (listener ~= '') and (' ' .. listener) or ''
    redis.call('HSET', queue_key, token, string.format('%.0f %.0f %.0f %s%s', arrival, now_ms + within_ms, lease_ms,
        grantable, listened))
    if redis.call('PTTL', queue_key) < within_ms then
        redis.call('PEXPIRE', queue_key, within_ms)
    end
end

-- Removes the waiters that broke their promise and returns the one waiting longest, if any:
-- token, lease in ms, grantable ('1' or '0'), listener ('' if the entry names none).
local function oldest_waiter(queue_key)
    local entries = redis.call('HGETALL', queue_key)
    if #entries == 0 then
        return nil
    end
    local now_ms = server_ms_us()
    local best, best_arrival, best_lease, best_grantable, best_listener
    for i = 1, #entries, 2 do
        local arrival, deadline, lease, grantable, listener = string.match(entries[i + 1],
            '^(%d+) (%d+) (%d+) ([01]) ?(%S*)$')
        arrival, deadline = tonumber(arrival), tonumber(deadline)
        if deadline == nil or deadline < now_ms then
            redis.call('HDEL', queue_key, entries[i])
        elseif best == nil or arrival < best_arrival then
            best, best_arrival, best_lease, best_grantable, best_listener = entries[i], arrival, lease, grantable,
                listener
        end
    end
    return best, best_lease, best_grantable, best_listener
end

-- Called when the lock has just become free (its owner released it or gives it away) and `token` (from
-- oldest_waiter) waits longest: gives it the lock if it takes grants (it then owns the lock from now on, with a
-- new fencing token, and learns so from the message "grant <fencing token> <lease in ms> <owner token>"), or else
-- announces the release ("release") so that it tries again. Either message goes to the waiter's own channel
-- (`channel` .. ':' .. listener), or to `channel` for an entry that names no listener. The other waiters have
-- nothing to do: the lock has a new owner, or the one waiting longest takes it. Returns true if the lock was
-- given away.
local function pass_to(lock_key, fence_key, queue_key, channel, publish, token, lease, grantable, listener)
    local command = (publish == 'SPUBLISH' and redis.REDIS_VERSION_NUM) and 'SPUBLISH' or 'PUBLISH'
    if listener ~= nil and listener ~= '' then
        channel = channel .. ':' .. listener
    end
    if grantable == '1' then
        redis.call('HDEL', queue_key, token)
        redis.call('SET', lock_key, token, 'PX', lease)
        local fencing = issue_fencing_token(fence_key, lease)
        redis.call(command, channel, string.format('grant %.0f %s %s', fencing, lease, token))
        return true
    end
    redis.call(command, channel, 'release')
    return false
end
