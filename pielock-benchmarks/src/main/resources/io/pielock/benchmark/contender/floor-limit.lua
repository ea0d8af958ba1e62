-- The raw floor's rate limit: a fixed window that starts with its first call. Not exact: calls at the end of one
-- window and the start of the next may add up to twice the count within one window's length.
-- KEYS[1] counter; ARGV[1] window in ms. Returns the number of calls in the current window, this one included.
local calls = redis.call('INCR', KEYS[1])
if calls == 1 then
    redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return calls
