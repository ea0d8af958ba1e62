-- Decides one call against every limit of one key, in one atomic step on the server's clock. A denied call is
-- recorded nowhere. Each limit counts calls by its algorithm:
-- 'sliding': an exact sliding window, a ring of the times of the calls it allowed (limit-ring.lua, joined in
--   front of this). The key expires when its newest call leaves the window, so idle keys vanish.
-- 'gcra': the generic cell rate algorithm: one number, the theoretical arrival time (TAT) in microseconds, 8
--   bytes big-endian. With interval = window / count (rounded up) and tolerance = (count - 1) * interval, a
--   call at `now` is allowed if TAT - now <= tolerance, and moves TAT to max(TAT, now) + interval: a burst of
--   count from rest, then one call per interval. The key expires count intervals after the last allowed call,
--   by when TAT has passed: a key at rest holds nothing.
-- KEYS[i] limit i's key (all in one hash tag, so one Cluster slot and one atomic decision)
-- ARGV[4i-3] limit i's algorithm ('sliding' or 'gcra'); ARGV[4i-2] its window (sliding) or interval (gcra) in
-- us; ARGV[4i-1] its count; ARGV[4i] how long its key lives after an allowed call, in ms (the window; for gcra
-- count intervals, rounded up); ARGV[4 * #KEYS + 1] the call's cost in permits (1 if absent): allowed only if
-- every limit has room for cost calls at once (sliding: at most count - cost calls inside the window; gcra: the
-- cost-th of cost calls at once would be allowed), then recorded cost times (gcra: TAT moves cost intervals).
-- A sliding call's mark is the first of its cost consecutive times.
-- Returns {allowed (1 or 0), then per limit i: remaining, retry-after in us, the call's mark for
-- limit-refund.lua (sliding: the time it was recorded with; gcra: the TAT it wrote; 0 if not recorded)}.
local time = call('TIME')
local now = time[1] * 1000000 + time[2]

local cost = tonumber(ARGV[4 * #KEYS + 1]) or 1
local reply = {1}
local states = {}
for i = 1, #KEYS do
    local key = KEYS[i]
    local span = ARGV[4 * i - 2] + 0
    local count = ARGV[4 * i - 1] + 0
    local state
    if ARGV[4 * i - 3] == 'gcra' then
        local tolerance = (count - 1) * span
        local held = call('GET', key)
        local tat = (held and #held == 8) and unpack('>i8', held) or now
        if tat < now then
            tat = now
        end
        local extra = (cost - 1) * span
        if tat - now + extra > tolerance then
            reply[1] = 0
            reply[3 * i - 1] = 0
            -- a cost above the count never fits (the limiter denies it before asking)
            reply[3 * i] = (extra > tolerance) and count * span or tat - now + extra - tolerance
        else
            -- calls that fit now, this one included
            reply[3 * i - 1] = floor((tolerance - (tat - now)) / span) + 1
            reply[3 * i] = 0
            state = tat + cost * span
        end
    else
        -- a call made at or before `since` has left the window
        local since = now - span
        local bytes, head, inside, slots, whole = open(key)
        -- the call fits if the newest call that would leave at most count - cost inside has left the window
        local last = count - cost + 1
        local filler = (last < 1 and now) or ((slots >= last) and newest(key, bytes, head, slots, last)) or since
        if filler > since then
            -- more than count - cost calls inside the window: room again once the last-th newest leaves it
            reply[1] = 0
            reply[3 * i - 1] = 0
            reply[3 * i] = (last < 1) and span or filler - since
        else
            inside = after(key, bytes, head, slots, since, min(slots, last - 1), inside)
            reply[3 * i - 1] = count - inside
            reply[3 * i] = 0
            state = {bytes, head, whole, slots, inside}
        end
    end
    reply[3 * i + 1] = 0
    states[i] = state
end
if reply[1] == 1 then
    for i = 1, #KEYS do
        local key, state, ttl = KEYS[i], states[i], ARGV[4 * i]
        if ARGV[4 * i - 3] == 'gcra' then
            call('SET', key, pack('>i8', state), 'PX', ttl)
            reply[3 * i + 1] = state
        else
            reply[3 * i + 1] = record_all(key, now, state[1], state[2], state[3], state[4], state[5],
                ARGV[4 * i - 2] + 0, ARGV[4 * i - 1] + 0, ttl, cost)
        end
        reply[3 * i - 1] = reply[3 * i - 1] - cost
    end
end
return reply
