-- Takes back a call that a later key denied, from every window of one key that still holds it (limit-ring.lua,
-- joined in front of this): the calls recorded after it move one slot back, as if it had never been recorded.
-- A window whose ring no longer holds the call (it left the window, or the key expired) is left alone.
-- KEYS[i] the ring of limit i (one hash tag); ARGV[i] the time limit i recorded the call with.
-- Returns how many windows still held it.
local removed = 0
for i = 1, #KEYS do
    local stamp = tonumber(ARGV[i])
    local r = ring(KEYS[i])
    if stamp > 0 and r.slots > 0 then
        local k = after(r, stamp, r.slots, 0) + 1
        if k <= r.slots and newest(r, k) == stamp then
            if k > 1 then
                write_slots(r, slot_of(r, k), read_slots(r, slot_of(r, k - 1), k - 1))
            end
            -- the newest's slot becomes the oldest, holding a call long gone
            local freed = slot_of(r, 1)
            redis.call('SETRANGE', r.key, HEADER + 8 * freed, struct.pack('>i8', 0))
            redis.call('SETRANGE', r.key, 0, struct.pack('>I4', freed))
            removed = removed + 1
        end
    end
end
return removed
