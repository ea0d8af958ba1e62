-- A resource that honours fencing tokens: it remembers the highest token it has seen, on reads and writes,
-- and refuses any operation that carries a lower one, so a holder whose lease ran out cannot act on it once a
-- newer holder has. Every operation is appended to a log, in the order the resource served it.
-- KEYS[1] value, KEYS[2] highest token seen, KEYS[3] accepted writes, KEYS[4] log
-- ARGV[1] token, ARGV[2] 'read' or 'write', ARGV[3] the value to write, ARGV[4] who asks (for the log)
-- Returns {1, value} if served, {0, highest token seen} if refused as stale.
local token = tonumber(ARGV[1])
local highest = tonumber(redis.call('GET', KEYS[2]) or '0')
if token < highest then
    redis.call('RPUSH', KEYS[4], ARGV[2] .. ' ' .. ARGV[1] .. ' stale ' .. ARGV[4])
    return {0, highest}
end
redis.call('SET', KEYS[2], ARGV[1])
if ARGV[2] == 'write' then
    redis.call('SET', KEYS[1], ARGV[3])
    redis.call('INCR', KEYS[3])
end
redis.call('RPUSH', KEYS[4], ARGV[2] .. ' ' .. ARGV[1] .. ' ok ' .. ARGV[4])
return {1, tonumber(redis.call('GET', KEYS[1]) or '0')}
