-- An exact sliding window's calls, kept in one string per key and window: an 8-byte header (the slot the next
-- call goes to, then the number of slots; 4 bytes each) and a ring of slots, each the time of one allowed call
-- in microseconds of the server's clock (8 bytes, big-endian; Lua's doubles hold such integers exactly).
-- Read from the next slot round to the newest, the times rise: a call is stamped at least 1 us after the newest
-- before it, so a time names one call. A slot still unused holds 0, a call long gone. A call's slot is reused
-- only once the call has left the window, and the ring grows (doubling, up to count) only when every slot holds
-- a call inside it. So the ring holds every call still inside the window, and "count calls are inside the
-- window" is one read: the count-th newest is still inside.
-- Shared by limit-consume.lua and limit-refund.lua (the store joins it in front of them).
local HEADER = 8
local PREFIX = 16

-- Reads the header and up to PREFIX slots in one call: all of a small ring.
local function ring(key)
    local prefix = redis.call('GETRANGE', key, 0, HEADER + 8 * PREFIX - 1)
    if #prefix < HEADER then
        return {key = key, head = 0, slots = 0, prefix = prefix}
    end
    local head, slots = struct.unpack('>I4I4', prefix)
    return {key = key, head = head, slots = slots, prefix = prefix}
end

-- The physical slot (from 0) of the k-th newest call (k from 1).
local function slot_of(r, k)
    return (r.head - k) % r.slots
end

-- The time in the physical slot i.
local function time_at(r, i)
    local from = HEADER + 8 * i
    if from + 8 <= #r.prefix then
        return (struct.unpack('>i8', r.prefix, from + 1))
    end
    return (struct.unpack('>i8', redis.call('GETRANGE', r.key, from, from + 7)))
end

-- The time of the k-th newest call.
local function newest(r, k)
    return time_at(r, slot_of(r, k))
end

-- The smallest k in 1..limit whose k-th newest call is at or before `time`, or limit + 1 if there is none:
-- times only fall from the newest back, so gallop (1, 2, 4, ...) then bisect; O(log k) reads.
local function first_at_or_before(r, time, limit)
    local after, at = 0, 1
    while at <= limit and newest(r, at) > time do
        after, at = at, at * 2
    end
    if at > limit then
        at = limit + 1
    end
    while at - after > 1 do
        local mid = math.floor((after + at) / 2)
        if newest(r, mid) > time then
            after = mid
        else
            at = mid
        end
    end
    return at
end

-- n slots from physical slot `first` on, wrapping round: read as one string, and written back.
local function read_slots(r, first, n)
    local before_end = r.slots - first
    if n <= before_end then
        return redis.call('GETRANGE', r.key, HEADER + 8 * first, HEADER + 8 * (first + n) - 1)
    end
    return redis.call('GETRANGE', r.key, HEADER + 8 * first, HEADER + 8 * r.slots - 1)
        .. redis.call('GETRANGE', r.key, HEADER, HEADER + 8 * (n - before_end) - 1)
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
