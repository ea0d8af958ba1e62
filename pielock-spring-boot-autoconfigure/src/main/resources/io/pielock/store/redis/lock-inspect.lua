-- Reads a lock without changing it: for the actuator endpoint and diagnostics, never on a lock's hot path.
-- KEYS[1] lock key, KEYS[2] fencing counter (one hash tag)
-- Returns {remaining lease in ms (-2 when free, -1 when held without a lease), last fencing token or false}.
-- Never returns the owner token.
return {redis.call('PTTL', KEYS[1]), redis.call('GET', KEYS[2]) or false}
