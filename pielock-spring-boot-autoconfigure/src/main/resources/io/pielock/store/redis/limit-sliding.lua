-- Decides one call against one exact sliding-window limit of one key: limit-consume.lua's 'sliding' case for the
-- common single limit, without its loop and tables (limit-ring.lua, joined in front of this, keeps the ring; the
-- key is the same string either script reads and writes). Atomic, on the server's clock; a denied call writes
-- nothing.
-- KEYS[1] the limit's key; ARGV[1] window in us; ARGV[2] count; ARGV[3] how long the key lives after an allowed
-- call, in ms (the window)
-- Returns {allowed (1 or 0), remaining, retry-after in us, the call's mark (its time; 0 if not recorded)}, as
-- limit-consume.lua does for one limit.
local time = call('TIME')
local now = time[1] * 1000000 + time[2]
local key, window, count = KEYS[1], ARGV[1] + 0, ARGV[2] + 0
-- a call made at or before `since` has left the window
local since = now - window
local bytes, head, inside, slots, whole = open(key)
if slots >= count then
    local filler = newest(key, bytes, head, slots, count)
    if filler > since then
        -- count calls inside the window: room again once the count-th newest leaves it
        return {0, 0, filler - since, 0}
    end
end
inside = after(key, bytes, head, slots, since, min(slots, count - 1), inside)
return {1, count - inside - 1, 0, record(key, now, bytes, head, whole, slots, inside, window, count, ARGV[3])}
