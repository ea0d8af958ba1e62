-- An exact sliding window's calls, kept in one string per key and window: a 12-byte header (the slot the next
-- call goes to; how many calls were inside the window after the last one; the number of slots: 4 bytes each),
-- then a ring of slots, each the time of one allowed call in microseconds of the server's clock (8 bytes,
-- big-endian; Lua's doubles hold such integers exactly).
-- Read from the next slot round to the newest, the times rise: a call is stamped at least 1 us after the newest
-- before it, so a time names one call. A slot still unused holds 0, a call long gone. A call's slot is reused
-- only once the call has left the window, and the ring grows (doubling, up to count) only when every slot holds
-- a call inside it. So the ring holds every call still inside the window, and "count calls are inside the
-- window" is one read: the count-th newest is still inside.
-- Shared by limit-consume.lua and limit-refund.lua (the store joins it in front of them).
local HEADER = 12
-- slots read with the header in one GETRANGE: all of a ring of up to 128 calls
local PREFIX = 128

local function ring(key)
    local bytes = redis.call('GETRANGE', key, 0, HEADER + 8 * PREFIX - 1)
    if #bytes < HEADER then
        return {key = key, head = 0, inside = 0, slots = 0, bytes = bytes, whole = true}
    end
    local head, inside, slots = struct.unpack('>I4I4I4', bytes)
    return {key = key, head = head, inside = inside, slots = slots, bytes = bytes,
        whole = (#bytes == HEADER + 8 * slots)}
end

-- The physical slot (from 0) of the k-th newest call (k from 1).
local function slot_of(r, k)
    return (r.head - k) % r.slots
end

-- The time in the physical slot i.
local function time_at(r, i)
    local from = HEADER + 8 * i
    if from + 8 <= #r.bytes then
        return (struct.unpack('>i8', r.bytes, from + 1))
    end
    return (struct.unpack('>i8', redis.call('GETRANGE', r.key, from, from + 7)))
end

-- The time of the k-th newest call.
local function newest(r, k)
    return time_at(r, slot_of(r, k))
end

-- How many of the newest calls, at most `limit`, are after `time`. Times fall from the newest back, so search
-- from a guess (gallop away from it, then bisect): O(log distance) reads. The guess that a ring's header keeps,
-- the calls inside the window after the last call, is usually right or a few calls high.
local function after(r, time, limit, guess)
    local above, below = 0, limit + 1
    local k = math.min(guess, limit)
    if k == 0 or newest(r, k) > time then
        above = k
        local step = 1
        while k + step <= limit and newest(r, k + step) > time do
            above = k + step
            step = step * 2
        end
        below = math.min(k + step, limit + 1)
    else
        below = k
        local step = 1
        while k - step >= 1 and newest(r, k - step) <= time do
            below = k - step
            step = step * 2
        end
        above = math.max(k - step, 0)
    end
    while below - above > 1 do
        local mid = math.floor((above + below) / 2)
        if newest(r, mid) > time then
            above = mid
        else
            below = mid
        end
    end
    return above
end

-- n slots from physical slot `first` on, wrapping round: read as one string, and written back.
local function read_slots(r, first, n)
    local function range(from, till)
        if r.whole then
            return string.sub(r.bytes, from + 1, till + 1)
        end
        return redis.call('GETRANGE', r.key, from, till)
    end
    local before_end = r.slots - first
    if n <= before_end then
        return range(HEADER + 8 * first, HEADER + 8 * (first + n) - 1)
    end
    return range(HEADER + 8 * first, HEADER + 8 * r.slots - 1) .. range(HEADER, HEADER + 8 * (n - before_end) - 1)
end

local function write_slots(r, first, bytes)
    local before_end = 8 * (r.slots - first)
    if #bytes <= before_end then
        redis.call('SETRANGE', r.key, HEADER + 8 * first, bytes)
    else
        redis.call('SETRANGE', r.key, HEADER + 8 * first, string.sub(bytes, 1, before_end))
        redis.call('SETRANGE', r.key, HEADER, string.sub(bytes, before_end + 1))
    end
end
