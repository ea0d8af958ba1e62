-- Decides one call against every limit of one key, in one atomic step on the server's clock: an exact sliding
-- window per limit, each a ring of the times of the calls it allowed (limit-ring.lua, joined in front of this).
-- A denied call is recorded nowhere.
-- KEYS[i] the ring of limit i (all in one hash tag, so one Cluster slot and one atomic decision)
-- ARGV[2i-1] window of limit i in ms; ARGV[2i] count of limit i
-- Returns {allowed (1 or 0), then per limit i: remaining, retry-after in us, the time the call was recorded
-- with (for limit-refund.lua; 0 if it was not recorded)}.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])

-- Records the call in ring r: in the oldest slot if its call has left the window, else in a ring twice the
-- size (up to count). The key expires when this call leaves the window, so idle keys vanish.
local function record(r, window_ms, count, since, inside)
    local stamp = now
    if r.slots > 0 then
        stamp = math.max(now, newest(r, 1) + 1)
    end
    local ttl = window_ms + math.ceil((stamp - now) / 1000)
    local entry = struct.pack('>i8', stamp)
    if r.slots == 0 then
        redis.call('SET', r.key, struct.pack('>I4I4I4', 0, 1, 1) .. entry, 'PX', ttl)
    elseif r.slots >= count or time_at(r, r.head) <= since then
        -- (with count slots or more, the oldest is older than the count-th newest, which has left)
        local head = (r.head + 1) % r.slots
        if r.whole then
            local at = HEADER + 8 * r.head
            redis.call('SET', r.key, struct.pack('>I4I4I4', head, inside + 1, r.slots)
                .. string.sub(r.bytes, HEADER + 1, at) .. entry .. string.sub(r.bytes, at + 9), 'PX', ttl)
        else
            redis.call('SETRANGE', r.key, HEADER + 8 * r.head, entry)
            redis.call('SETRANGE', r.key, 0, struct.pack('>I4I4', head, inside + 1))
            redis.call('PEXPIRE', r.key, ttl)
        end
    else
        local slots = math.min(count, 2 * r.slots)
        redis.call('SET', r.key, struct.pack('>I4I4I4', (r.slots + 1) % slots, inside + 1, slots)
            .. read_slots(r, r.head, r.slots) .. entry .. string.rep('\0', 8 * (slots - r.slots - 1)), 'PX', ttl)
    end
    return stamp
end

local reply = {1}
local rings = {}
local inside = {}
for i = 1, #KEYS do
    local window = tonumber(ARGV[2 * i - 1]) * 1000
    local count = tonumber(ARGV[2 * i])
    -- a call made at or before `since` has left the window
    local since = now - window
    local r = ring(KEYS[i])
    rings[i] = r
    local filler = (r.slots >= count) and newest(r, count) or since
    if filler > since then
        -- count calls inside the window: room again once the count-th newest leaves it
        reply[1] = 0
        reply[3 * i - 1] = 0
        reply[3 * i] = filler - since
    else
        inside[i] = after(r, since, math.min(r.slots, count - 1), r.inside)
        reply[3 * i - 1] = count - inside[i]
        reply[3 * i] = 0
    end
    reply[3 * i + 1] = 0
end
if reply[1] == 1 then
    for i = 1, #KEYS do
        local window_ms = tonumber(ARGV[2 * i - 1])
        reply[3 * i + 1] = record(rings[i], window_ms, tonumber(ARGV[2 * i]), now - window_ms * 1000, inside[i])
        reply[3 * i - 1] = reply[3 * i - 1] - 1
    end
end
return reply
