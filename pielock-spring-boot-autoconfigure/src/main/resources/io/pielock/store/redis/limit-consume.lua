-- Decides one call against every limit of one key, in one atomic step on the server's clock. A denied call is
-- recorded nowhere. Each limit counts calls by its algorithm:
-- 'sliding': an exact sliding window, a ring of the times of the calls it allowed (limit-ring.lua, joined in
--   front of this);
-- 'gcra': the generic cell rate algorithm: one number, the theoretical arrival time (TAT) in microseconds.
--   With interval = window / count (rounded up) and tolerance = (count - 1) * interval, a call at `now` is
--   allowed if TAT - now <= tolerance, and moves TAT to max(TAT, now) + interval: a burst of count from rest,
--   then one call per interval. The key expires when TAT passes, as a key at rest holds nothing.
-- KEYS[i] limit i's key (all in one hash tag, so one Cluster slot and one atomic decision)
-- ARGV[3i-2] window of limit i in ms; ARGV[3i-1] its count; ARGV[3i] its algorithm ('sliding' or 'gcra')
-- Returns {allowed (1 or 0), then per limit i: remaining, retry-after in us, the call's mark for
-- limit-refund.lua (sliding: the time it was recorded with; gcra: the TAT it wrote; 0 if not recorded)}.
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

-- Records the call in a GCRA limit: its new TAT, expiring when it passes.
local function advance(key, tat)
    redis.call('SET', key, string.format('%.0f', tat), 'PX', math.ceil((tat - now) / 1000))
    return tat
end

local reply = {1}
local states = {}
for i = 1, #KEYS do
    local window = tonumber(ARGV[3 * i - 2]) * 1000
    local count = tonumber(ARGV[3 * i - 1])
    if ARGV[3 * i] == 'gcra' then
        local interval = math.ceil(window / count)
        local tolerance = (count - 1) * interval
        local tat = math.max(tonumber(redis.call('GET', KEYS[i])) or now, now)
        states[i] = tat + interval
        if tat - now > tolerance then
            reply[1] = 0
            reply[3 * i - 1] = 0
            reply[3 * i] = tat - now - tolerance
        else
            -- calls that fit now, this one included
            reply[3 * i - 1] = math.floor((tolerance - (tat - now)) / interval) + 1
            reply[3 * i] = 0
        end
    else
        -- a call made at or before `since` has left the window
        local since = now - window
        local r = ring(KEYS[i])
        states[i] = r
        local filler = (r.slots >= count) and newest(r, count) or since
        if filler > since then
            -- count calls inside the window: room again once the count-th newest leaves it
            reply[1] = 0
            reply[3 * i - 1] = 0
            reply[3 * i] = filler - since
        else
            r.now_inside = after(r, since, math.min(r.slots, count - 1), r.inside)
            reply[3 * i - 1] = count - r.now_inside
            reply[3 * i] = 0
        end
    end
    reply[3 * i + 1] = 0
end
if reply[1] == 1 then
    for i = 1, #KEYS do
        local window_ms = tonumber(ARGV[3 * i - 2])
        if ARGV[3 * i] == 'gcra' then
            reply[3 * i + 1] = advance(KEYS[i], states[i])
        else
            local r = states[i]
            reply[3 * i + 1] = record(r, window_ms, tonumber(ARGV[3 * i - 1]), now - window_ms * 1000, r.now_inside)
        end
        reply[3 * i - 1] = reply[3 * i - 1] - 1
    end
end
return reply
