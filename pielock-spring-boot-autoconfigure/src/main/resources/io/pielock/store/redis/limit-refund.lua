-- Takes back a call that a later key denied, from every limit of one key (limit-ring.lua, joined in front of
-- this), only where that is exact; otherwise the call stays counted (towards denying).
-- 'sliding': if the ring still holds the call, the calls recorded after it move one slot back, as if it had
--   never been recorded. A ring that no longer holds it (it left the window, or the key expired) is left alone.
-- 'gcra': TAT goes back by one interval if it is still the TAT the call wrote (no call since), or if it cannot
--   have been reset since and no later call can have been decided on a TAT the call had not pushed
--   (now <= mark - interval). Otherwise the call stays counted.
-- KEYS[i] limit i's key (one hash tag); ARGV[4i-3] its window in ms; ARGV[4i-2] its count; ARGV[4i-1] its
-- algorithm; ARGV[4i] the call's mark from limit-consume.lua.
-- Returns how many limits gave the call back.
local now
local removed = 0
for i = 1, #KEYS do
    local mark = tonumber(ARGV[4 * i])
    if ARGV[4 * i - 1] == 'gcra' then
        if not now then
            local time = redis.call('TIME')
            now = tonumber(time[1]) * 1000000 + tonumber(time[2])
        end
        local interval = math.ceil(tonumber(ARGV[4 * i - 3]) * 1000 / tonumber(ARGV[4 * i - 2]))
        local tat = tonumber(redis.call('GET', KEYS[i]))
        if tat and (tat == mark or (tat > mark and now <= mark - interval)) then
            tat = tat - interval
            if tat <= now then
                redis.call('DEL', KEYS[i])
            else
                redis.call('SET', KEYS[i], string.format('%.0f', tat), 'PX', math.ceil((tat - now) / 1000))
            end
            removed = removed + 1
        end
    else
        local r = ring(KEYS[i])
        if mark > 0 and r.slots > 0 then
            local k = after(r, mark, r.slots, 0) + 1
            if k <= r.slots and newest(r, k) == mark then
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
end
return removed
