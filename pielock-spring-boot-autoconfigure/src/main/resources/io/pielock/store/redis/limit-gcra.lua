-- Decides one call against one GCRA limit of one key: limit-consume.lua's 'gcra' case for the common single
-- limit, without its loop, its tables and the sliding window's ring code. Atomic, on the server's clock; a denied
-- call writes nothing. The key holds the theoretical arrival time (TAT) in us, 8 bytes big-endian, as there.
-- KEYS[1] the limit's key; ARGV[1] interval in us; ARGV[2] count; ARGV[3] how long the key lives after an
-- allowed call, in ms (count intervals, rounded up); ARGV[4] the call's cost in permits (1 if absent): a call
-- of cost c is c calls at once, allowed if the last of them would be (TAT + (c - 1) * interval - now <=
-- tolerance), and moves TAT by c intervals
-- Returns {allowed (1 or 0), remaining, retry-after in us, the call's mark (the TAT it wrote; 0 if denied)}, as
-- limit-consume.lua does for one limit.
local time = redis.call('TIME')
local now = time[1] * 1000000 + time[2]
local interval = ARGV[1] + 0
local tolerance = (ARGV[2] - 1) * interval
local cost = tonumber(ARGV[4]) or 1
local extra = (cost - 1) * interval
local held = redis.call('GET', KEYS[1])
local tat = now
if held and #held == 8 then
    tat = math.max(struct.unpack('>i8', held), now)
end
if tat - now + extra > tolerance then
    if extra > tolerance then
        -- a cost above the count never fits (the limiter denies it before asking)
        return {0, 0, interval * ARGV[2], 0}
    end
    return {0, 0, tat - now + extra - tolerance, 0}
end
local written = tat + cost * interval
redis.call('SET', KEYS[1], struct.pack('>i8', written), 'PX', ARGV[3])
-- calls that still fit after this one
return {1, math.floor((tolerance - (tat - now)) / interval) + 1 - cost, 0, written}
