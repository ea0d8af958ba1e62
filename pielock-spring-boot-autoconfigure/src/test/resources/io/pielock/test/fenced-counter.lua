-- A resource that honours fencing tokens: it remembers the highest token it has seen, on reads and writes,
-- and refuses any operation that carries a lower one, so a holder whose lease ran out cannot act on it once a
-- newer holder has. It also accepts one write per token: two holders can carry the same token when two Redis
-- masters issued it in the same microsecond (a split brain after a failover), and a write sent twice must not
-- count twice. Every operation is appended to a log, in the order the resource served it.
-- KEYS[1] value, KEYS[2] highest token seen, KEYS[3] accepted writes, KEYS[4] log, KEYS[5] last written token
-- ARGV[1] token, ARGV[2] 'read' or 'write', ARGV[3] the value to write, ARGV[4] who asks (for the log)
-- Returns {1, value} if served, {0, highest token seen} if refused (stale, or the token has written already).
local token = tonumber(ARGV[1])
local highest = tonumber(redis.call('GET', KEYS[2]) or '0')
if token < highest or (ARGV[2] == 'write' and token <= tonumber(redis.call('GET', KEYS[5]) or '0')) then
    redis.call('RPUSH', KEYS[4], ARGV[2] .. ' ' .. ARGV[1] .. ' stale ' .. ARGV[4])
    return {0, highest}
end
redis.call('SET', KEYS[2], ARGV[1])
if ARGV[2] == 'write' then
    redis.call('SET', KEYS[1], ARGV[3])
    redis.call('SET', KEYS[5], ARGV[1])
    redis.call('INCR', KEYS[3])
end
redis.call('RPUSH', KEYS[4], ARGV[2] .. ' ' .. ARGV[1] .. ' ok ' .. ARGV[4])
return {1, tonumber(redis.call('GET', KEYS[1]) or '0')}
