-- An exact sliding window's calls, kept in one string per key and window: a 12-byte header (the slot the next
-- call goes to; how many calls were inside the window after the last one; the number of slots: 4 bytes each),
-- then a ring of slots, each the time of one allowed call in microseconds of the server's clock (8 bytes,
-- big-endian; Lua's doubles hold such integers exactly).
-- Read from the next slot round to the newest, the times rise: a call is stamped at least 1 us after the newest
-- before it, so a time names one call. A slot still unused holds 0, a call long gone. A call's slot is reused
-- only once the call has left the window, and the ring grows (doubling, up to count) only when every slot holds
-- a call inside it. So the ring holds every call still inside the window, and "count calls are inside the
-- window" is one read: the count-th newest is still inside.
-- Shared by limit-sliding.lua, limit-consume.lua and limit-refund.lua (the store joins it in front of them).
-- This runs on every decision, so: arguments to redis.call are strings wherever they can be (Redis formats a
-- Lua number with sprintf, which costs more than the command), and values stay in locals, not tables.
local call, pack, unpack = redis.call, struct.pack, struct.unpack
local floor, ceil, min, max = math.floor, math.ceil, math.min, math.max
local HEADER = 12

-- Reads a ring's header and first 128 slots in one call: its bytes (all of them if whole), next slot, calls
-- inside after the last call, number of slots (0: no ring yet), and whether the bytes are the whole ring.
local function open(key)
    local bytes = call('GETRANGE', key, '0', '1035')
    if #bytes < HEADER then
        return bytes, 0, 0, 0, true
    end
    local head, inside, slots = unpack('>I4I4I4', bytes)
    return bytes, head, inside, slots, #bytes == HEADER + 8 * slots
end

-- The time of the k-th newest call (k from 1) in the ring of `slots` slots whose next slot is `head`: from the
-- bytes read, or beyond them from Redis.
local function newest(key, bytes, head, slots, k)
    local from = HEADER + 8 * ((head - k) % slots)
    if from + 8 <= #bytes then
        return (unpack('>i8', bytes, from + 1))
    end
    return (unpack('>i8', call('GETRANGE', key, from, from + 7)))
end

-- How many of the newest calls, at most `limit`, are after `time`. Times fall from the newest back, so search
-- from a guess (gallop away from it, then bisect): O(log distance) reads. The guess that a ring's header keeps,
-- the calls inside the window after the last call, is usually right or a few calls high.
local function after(key, bytes, head, slots, time, limit, guess)
    local above, below
    local k = min(guess, limit)
    if k == 0 or newest(key, bytes, head, slots, k) > time then
        above = k
        local step = 1
        while k + step <= limit and newest(key, bytes, head, slots, k + step) > time do
            above = k + step
            step = step * 2
        end
        below = min(k + step, limit + 1)
    else
        below = k
        local step = 1
        while k - step >= 1 and newest(key, bytes, head, slots, k - step) <= time do
            below = k - step
            step = step * 2
        end
        above = max(k - step, 0)
    end
    while below - above > 1 do
        local mid = floor((above + below) / 2)
        if newest(key, bytes, head, slots, mid) > time then
            above = mid
        else
            below = mid
        end
    end
    return above
end

-- n slots from physical slot `first` on, wrapping round, as one string.
local function read_slots(key, bytes, whole, slots, first, n)
    local function range(from, till)
        if whole then
            return string.sub(bytes, from + 1, till + 1)
        end
        return call('GETRANGE', key, from, till)
    end
    local before_end = slots - first
    if n <= before_end then
        return range(HEADER + 8 * first, HEADER + 8 * (first + n) - 1)
    end
    return range(HEADER + 8 * first, HEADER + 8 * slots - 1) .. range(HEADER, HEADER + 8 * (n - before_end) - 1)
end

-- Records a call made at `now` in a ring, given what the decision read of it (open: bytes, head, whole, slots; after:
-- inside): in the oldest slot if its call has left the window, else in a ring twice the size (up to count). Whole rings are written back whole: one SET is cheaper than two
-- SETRANGEs and a PEXPIRE.
local function record(key, now, bytes, head, whole, slots, inside, window, count, ttl)
    local stamp = now
    if slots > 0 then
        stamp = max(now, newest(key, bytes, head, slots, 1) + 1)
        if stamp > now then
            ttl = ttl + ceil((stamp - now) / 1000)
        end
    end
    local entry = pack('>i8', stamp)
    inside = inside + 1
    if slots == 0 then
        call('SET', key, pack('>I4I4I4', 0, 1, 1) .. entry, 'PX', ttl)
    elseif slots >= count or newest(key, bytes, head, slots, slots) <= now - window then
        -- the oldest call has left the window (with count slots or more, it is older than the count-th newest)
        local at = HEADER + 8 * head
        if whole then
            call('SET', key, pack('>I4I4I4', (head + 1) % slots, inside, slots) .. string.sub(bytes, HEADER + 1, at)
                .. entry .. string.sub(bytes, at + 9), 'PX', ttl)
        else
            call('SETRANGE', key, at, entry)
            call('SETRANGE', key, '0', pack('>I4I4', (head + 1) % slots, inside))
            call('PEXPIRE', key, ttl)
        end
    else
        local grown = min(count, 2 * slots)
        call('SET', key, pack('>I4I4I4', (slots + 1) % grown, inside, grown)
            .. read_slots(key, bytes, whole, slots, head, slots) .. entry .. string.rep('\0', 8 * (grown - slots - 1)),
            'PX', ttl)
    end
    return stamp
end

-- Records a call of `cost` permits: `cost` times, one after another (stamped 1 us apart, so they are
-- consecutive), re-reading the ring between them since each may have moved or grown it. Returns the first
-- time, the call's mark: limit-refund.lua takes back mark .. mark + cost - 1.
local function record_all(key, now, bytes, head, whole, slots, inside, window, count, ttl, cost)
    local first = record(key, now, bytes, head, whole, slots, inside, window, count, ttl)
    for k = 2, cost do
        local _
        bytes, head, _, slots, whole = open(key)
        record(key, now, bytes, head, whole, slots, inside + k - 1, window, count, ttl)
    end
    return first
end

