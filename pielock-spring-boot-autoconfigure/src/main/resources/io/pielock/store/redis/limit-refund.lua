-- Takes back a call that a later key denied, from every limit of one key (limit-ring.lua, joined in front of
-- this), only where that is exact; otherwise the call stays counted (towards denying).
-- 'sliding': if the ring still holds the call, the calls recorded after it move one slot back, as if it had
--   never been recorded. A ring that no longer holds it (it left the window, or the key expired) is left alone.
-- 'gcra': TAT goes back by one interval if it is still the TAT the call wrote (no call since), or if it cannot
--   have been reset since and no later call can have been decided on a TAT the call had not pushed
--   (now <= mark - interval). Otherwise the call stays counted.
-- KEYS[i] limit i's key (one hash tag); ARGV[5i-4..5i-1] as for limit-consume.lua (algorithm, window or
-- interval in us, count, key lifetime in ms); ARGV[5i] the call's mark from limit-consume.lua.
-- ARGV[5 * #KEYS + 1] the call's cost in permits (1 if absent): a sliding call's cost times are mark ..
-- mark + cost - 1, each taken back as above; a gcra TAT goes back cost intervals, under the same conditions with
-- the call's TAT before it (mark - cost * interval).
-- Returns how many limits gave the call back.
-- Writes bytes (whole slots) from physical slot `first` on, wrapping round.
local function write_slots(key, slots, first, bytes)
    local before_end = 8 * (slots - first)
    if #bytes <= before_end then
        call('SETRANGE', key, HEADER + 8 * first, bytes)
    else
        call('SETRANGE', key, HEADER + 8 * first, string.sub(bytes, 1, before_end))
        call('SETRANGE', key, HEADER, string.sub(bytes, before_end + 1))
    end
end

local now
local removed = 0
local cost = tonumber(ARGV[5 * #KEYS + 1]) or 1
for i = 1, #KEYS do
    local key = KEYS[i]
    local span = ARGV[5 * i - 3] + 0
    local mark = ARGV[5 * i] + 0
    if ARGV[5 * i - 4] == 'gcra' then
        if not now then
            local time = call('TIME')
            now = time[1] * 1000000 + time[2]
        end
        local held = call('GET', key)
        local tat = (held and #held == 8) and unpack('>i8', held)
        local pushed = cost * span
        if tat and (tat == mark or (tat > mark and now <= mark - pushed)) then
            tat = tat - pushed
            if tat <= now then
                call('DEL', key)
            else
                call('SET', key, pack('>i8', tat), 'PX', ARGV[5 * i - 1])
            end
            removed = removed + 1
        end
    else
        local gave = false
        -- newest first, re-reading the ring each time: each removal moves the calls after it
        for time = mark + cost - 1, mark, -1 do
            local bytes, head, inside, slots, whole = open(key)
            if mark > 0 and slots > 0 then
                local k = after(key, bytes, head, slots, time, slots, 0) + 1
                if k <= slots and newest(key, bytes, head, slots, k) == time then
                    if k > 1 then
                        write_slots(key, slots, (head - k) % slots,
                            read_slots(key, bytes, whole, slots, (head - k + 1) % slots, k - 1))
                    end
                    -- the newest's slot becomes the oldest, holding a call long gone
                    local freed = (head - 1) % slots
                    call('SETRANGE', key, HEADER + 8 * freed, pack('>i8', 0))
                    call('SETRANGE', key, '0', pack('>I4', freed))
                    gave = true
                end
            end
        end
        if gave then
            removed = removed + 1
        end
    end
end
return removed
