-- Decides one call against one exact sliding-window limit of one key: limit-consume.lua's 'sliding' case for the
-- common single limit, without its loop and tables (limit-ring.lua, joined in front of this, keeps the ring; the
-- key is the same string either script reads and writes). Atomic, on the server's clock; a denied call writes
-- nothing.
-- KEYS[1] the limit's key; ARGV[1] window in us; ARGV[2] count; ARGV[3] how long the key lives after an allowed
-- call, in ms (the window); ARGV[4] the call's cost, in permits (1 if absent): the call is allowed only if
-- at most count - cost calls are inside the window, and is then recorded cost times
-- Returns {allowed (1 or 0), remaining, retry-after in us, the call's mark (its time; 0 if not recorded)}, as
-- limit-consume.lua does for one limit.
local time = call('TIME')
local now = time[1] * 1000000 + time[2]
local key, window, count = KEYS[1], ARGV[1] + 0, ARGV[2] + 0
local cost = tonumber(ARGV[4]) or 1
-- the call fits if the newest call that would leave at most count - cost inside has left the window
local last = count - cost + 1
-- a call made at or before `since` has left the window
local since = now - window
local bytes, head, inside, slots, whole = open(key)
if last < 1 then
    -- a cost above the count never fits (the limiter denies it before asking)
    return {0, 0, window, 0}
end
if slots >= last then
    local filler = newest(key, bytes, head, slots, last)
    if filler > since then
        -- more than count - cost calls inside the window: room again once the last-th newest leaves it
        return {0, 0, filler - since, 0}
    end
end
inside = after(key, bytes, head, slots, since, min(slots, last - 1), inside)
return {1, count - inside - cost, 0,
    record_all(key, now, bytes, head, whole, slots, inside, window, count, ARGV[3], cost)}
