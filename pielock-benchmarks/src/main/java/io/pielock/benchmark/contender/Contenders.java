package io.pielock.benchmark.contender;

import java.util.ArrayList;
import java.util.List;

import org.springframework.integration.redis.util.RedisLockRegistry.RedisLockType;

/** Every implementation the benchmark runs, the raw floor first. A new contender is one class and one line here. */
public final class Contenders {

    /** The name of both raw floors: what every ratio divides by. */
    public static final String FLOOR = "raw floor";

    /** The name of the uncontended scenarios' reference: the floor's commands through Spring Data Redis. */
    public static final String SPRING_DATA_FLOOR = "floor via Spring Data Redis";

    private Contenders() {
    }

    /** @return the lock implementations, the floor first */
    public static List<LockContender> locks() {
        return List.of(new RawFloorLocks(), new PielockLocks(), new RedissonLocks(),
                new SpringIntegrationLocks(RedisLockType.SPIN_LOCK),
                new SpringIntegrationLocks(RedisLockType.PUB_SUB_LOCK));
    }

    /**
     * @return references that are not contenders, run in the uncontended lock scenarios to show what one layer
     *         costs: the floor's commands through Spring Data Redis
     */
    public static List<LockContender> lockReferences() {
        return List.of(new SpringDataFloorLocks());
    }

    /**
     * @return the rate limiter implementations, the floor first; pielock's constant-memory mode where the pielock
     *         measured has one
     */
    public static List<LimiterContender> limiters() {
        List<LimiterContender> limiters = new ArrayList<>(List.of(new RawFloorLimiter(), new PielockLimiter()));
        PielockConstantMemoryLimiter.ifAvailable().ifPresent(limiters::add);
        limiters.addAll(List.of(new RedissonLimiter(), new Bucket4jLimiter()));
        return List.copyOf(limiters);
    }

    /**
     * @param name a lock contender's {@link LockContender#name()}
     * @return that contender
     * @throws IllegalArgumentException naming the known ones if there is none of that name
     */
    public static LockContender lock(String name) {
        return java.util.stream.Stream.concat(locks().stream(), lockReferences().stream())
            .filter(contender -> contender.name().equals(name))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("No lock contender named '" + name + "'; known: "
                    + locks().stream().map(LockContender::name).toList()));
    }
}
