-- Takes back a call that a later key denied: removes its permit from each window of one key.
-- KEYS[i] the sorted sets (one hash tag); ARGV[1] the permit. Returns how many windows still held it.
local removed = 0
for i = 1, #KEYS do
    removed = removed + redis.call('ZREM', KEYS[i], ARGV[1])
end
return removed
