package io.pielock.lock;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.PatternTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import io.pielock.store.redis.RedisKeys;
import io.pielock.store.redis.RedisLockStore;
import io.pielock.store.redis.TestLockStores;
import io.pielock.test.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lock specification against a real Redis; each "process" has its own connections. Plus what only Redis
 * can show: the keys written, server-side leases, and a lease lost behind the holder's back.
 */
class RedisLockTemplateTest extends AbstractLockTemplateContractTest {

    private static final RedisKeys KEYS = new RedisKeys("pielock:");

    @Override
    protected LockStore newStore() {
        LettuceConnectionFactory factory = track(TestRedis.connectionFactory());
        return new RedisLockStore(factory, KEYS);
    }

    private StringRedisTemplate redis() {
        return new StringRedisTemplate(track(TestRedis.connectionFactory()));
    }

    @Test
    void acquisitionStoresTheOwnerTokenWithAServerSideLease() {
        LockTemplate template = newProcess(LockOptions.defaults().withExpires(Duration.ofSeconds(7)));
        template.acquire(this.key);
        StringRedisTemplate redis = redis();
        String lockKey = "pielock:lock:{" + this.key + "}";
        assertThat(redis.opsForValue().get(lockKey)).isNotBlank();
        assertThat(redis.getExpire(lockKey)).isBetween(1L, 7L);
        template.release(this.key);
        assertThat(redis.hasKey(lockKey)).isFalse();
    }

    @Test
    void eachAcquisitionOfOneStoreGetsItsOwnLeaseWhenTheLeasesAlternate() {
        LockStore store = newStore();
        StringRedisTemplate redis = redis();
        String lockKey = "pielock:lock:{" + this.key + "}";
        long[][] leasesAndWaits = { { 7_000, 0 }, { 60_000, 2_000 }, { 7_000, 2_000 }, { 60_000, 0 }, { 7_000, 9_000 } };
        for (long[] leaseAndWait : leasesAndWaits) {
            Duration lease = Duration.ofMillis(leaseAndWait[0]);
            String token = "t" + leaseAndWait[0] + "-" + leaseAndWait[1];
            LockAttempt attempt = (leaseAndWait[1] == 0) ? store.tryAcquire(this.key, token, lease)
                    : store.tryAcquire(this.key, token, lease, Duration.ofMillis(leaseAndWait[1]));
            assertThat(attempt.acquired()).isTrue();
            assertThat(redis.getExpire(lockKey, java.util.concurrent.TimeUnit.MILLISECONDS)).as("lease %s", lease)
                .isBetween(leaseAndWait[0] - 2_000, leaseAndWait[0]);
            assertThat(store.release(this.key, token)).isTrue();
        }
    }

    @Test
    void aReleaseNobodyWaitsForPublishesNothingAndOneThatIsWaitedForIsAnnounced() throws Exception {
        List<String> announced = new CopyOnWriteArrayList<>();
        RedisMessageListenerContainer listener = new RedisMessageListenerContainer();
        listener.setConnectionFactory(track(TestRedis.connectionFactory()));
        listener.addMessageListener((message, pattern) -> announced.add(new String(message.getBody(),
                StandardCharsets.UTF_8)), new PatternTopic(KEYS.releaseChannel(this.key) + ":*"));
        listener.afterPropertiesSet();
        listener.start();
        track(listener);
        LockTemplate template = newProcess();
        for (int i = 0; i < 20; i++) {
            template.run(this.key, () -> { });
        }
        LockTemplate waiter = newProcess();
        LockHandle held = template.lock(this.key);
        Thread waiting = new Thread(() -> waiter.run(this.key, () -> { }));
        waiting.start();
        long giveUp = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!redis().hasKey("pielock:queue:{" + this.key + "}") && System.nanoTime() < giveUp) {
            Thread.sleep(5);
        }
        held.close();
        waiting.join(Duration.ofSeconds(20).toMillis());
        while (announced.isEmpty() && System.nanoTime() < giveUp) {
            Thread.sleep(5);
        }
        // Redis delivers in order: had the 20 uncontended releases published, their messages would be here too.
        // The one release that was waited for passed the lock to the waiter and said so; the waiter's own release
        // found nobody waiting.
        assertThat(announced).as("20 releases nobody waited for, then one a waiter did").singleElement()
            .asString().startsWith("grant ");
    }

    @Test
    void aReleasePassesTheLockToTheProcessesWaitingInTheOrderTheyCameWithRisingFencingTokens() throws Exception {
        LockTemplate holder = newProcess();
        LockHandle held = holder.lock(this.key);
        List<String> order = new CopyOnWriteArrayList<>();
        List<Long> fencingTokens = new CopyOnWriteArrayList<>();
        List<Thread> waiting = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String name = "process " + (i + 1);
            LockTemplate process = newProcess();
            Thread thread = new Thread(() -> process.run(this.key, () -> {
                order.add(name);
                fencingTokens.add(LockContext.current().fencingToken());
            }));
            thread.start();
            waiting.add(thread);
            awaitQueued(i + 1); // each one waits in Redis before the next comes
        }
        held.close();
        for (Thread thread : waiting) {
            thread.join(Duration.ofSeconds(20).toMillis());
        }
        assertThat(order).containsExactly("process 1", "process 2", "process 3");
        assertThat(fencingTokens).isSorted().doesNotHaveDuplicates()
            .allSatisfy(token -> assertThat(token).isGreaterThan(held.fencingToken()));
        assertThat(redis().hasKey(KEYS.queue(this.key))).as("nobody waits any more").isFalse();
    }

    @Test
    void aWaiterPassedTheLockTakesItWithoutAnotherAttemptAndRenewsItToItsOwnLease() throws Exception {
        LockTemplate holder = newProcess();
        LockHandle held = holder.lock(this.key);
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        LockStore counted = new ForwardingLockStore(newStore()) {
            @Override
            public LockAttempt tryAcquire(String key, String token, Duration lease, Duration retryWithin) {
                attempts.incrementAndGet();
                return super.tryAcquire(key, token, lease, retryWithin);
            }
        };
        // its fallback poll (2 s) comes after the release: the grant heard wakes it. It promised to try again
        // within 2 s (and as long again), so the lock is passed to it with a short lease: 5 s, not its 30 s
        LockTemplate waiter = track(new LockTemplate(counted,
                LockOptions.defaults().withRetryAfter(Duration.ofSeconds(2))));
        String lockKey = "pielock:lock:{" + this.key + "}";
        java.util.concurrent.CompletableFuture<Long> passedOnLease = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.CompletableFuture<Long> renewedLease = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.CompletableFuture<Long> fencing = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> waiter.execute(this.key, () -> {
                    StringRedisTemplate redis = redis();
                    passedOnLease.complete(redis.getExpire(lockKey, java.util.concurrent.TimeUnit.MILLISECONDS));
                    long giveUp = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                    long ttl;
                    do {
                        ttl = redis.getExpire(lockKey, java.util.concurrent.TimeUnit.MILLISECONDS);
                    }
                    while (ttl < 20_000 && System.nanoTime() < giveUp);
                    renewedLease.complete(ttl);
                    return LockContext.current().fencingToken();
                }));
        awaitQueued(1);
        Thread.sleep(300); // it subscribes to the lock's releases, tries once more, then waits
        held.close();
        assertThat(fencing.get(30, java.util.concurrent.TimeUnit.SECONDS)).isGreaterThan(held.fencingToken());
        assertThat(attempts.get()).as("the attempt that found the lock held and the one once subscribed: the grant"
                + " heard needs no attempt of its own").isEqualTo(2);
        assertThat(passedOnLease.get()).as("the short lease the lock was passed on with").isBetween(1L, 5_000L);
        assertThat(renewedLease.get()).as("renewed to the holder's own lease").isGreaterThan(20_000L);
    }

    @Test
    void aGrantReachesOnlyTheProcessItPassesTheLockToNotTheOtherProcessesWaitingForIt() throws Exception {
        SecondWaiter second = secondWaiterWhileTheFirstIsPassedTheLock(false);
        assertThat(second.grantsHeardMeanwhile()).as("the grant to the first went to the first process's channel only")
            .isZero();
        assertThat(second.attemptsMeanwhile()).as("the lock has a new owner: the second has nothing to try").isZero();
        assertThat(second.grantsHeardInAll()).as("then its own grant, in its turn").isEqualTo(1);
    }

    @Test
    void aGrantHeardWakesOnlyTheWaiterItPassesTheLockToNotAnotherOneOfTheSameStore() throws Exception {
        // two templates over one store: one channel for the lock, so the second hears the grant to the first
        SecondWaiter second = secondWaiterWhileTheFirstIsPassedTheLock(true);
        assertThat(second.grantsHeardMeanwhile()).as("the second heard the grant to the first").isEqualTo(1);
        assertThat(second.attemptsMeanwhile()).as("the lock has a new owner: the second has nothing to try").isZero();
        assertThat(second.grantsHeardInAll()).as("then its own grant, in its turn").isEqualTo(2);
    }

    /**
     * Two waiters (30 s fallback poll); a release passes the lock to the first; a while later, the first lets go
     * and the lock passes to the second.
     * @param sameStore whether the second waiter's template shares the first's store (else it has its own, as
     *        another process)
     * @return what the second waiter's store was asked and heard while the first held the lock, and in all
     */
    private SecondWaiter secondWaiterWhileTheFirstIsPassedTheLock(boolean sameStore) throws Exception {
        LockTemplate holder = newProcess();
        LockHandle held = holder.lock(this.key);
        LockOptions patient = LockOptions.defaults().withRetryAfter(Duration.ofSeconds(30));
        java.util.concurrent.CountDownLatch firstHolds = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch firstLetsGo = new java.util.concurrent.CountDownLatch(1);
        LockStore firstStore = newStore();
        LockTemplate first = track(new LockTemplate(firstStore, patient));
        Thread firstWaiting = new Thread(() -> first.run(this.key, () -> {
            firstHolds.countDown();
            try {
                firstLetsGo.await();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }));
        firstWaiting.start();
        awaitQueued(1);
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger grantsHeard = new java.util.concurrent.atomic.AtomicInteger();
        LockStore counted = new ForwardingLockStore(sameStore ? firstStore : newStore()) {
            @Override
            public LockAttempt tryAcquire(String key, String token, Duration lease, Duration retryWithin) {
                attempts.incrementAndGet();
                return super.tryAcquire(key, token, lease, retryWithin);
            }

            @Override
            public void addGrantListener(GrantListener listener) {
                super.addGrantListener((key, token, fencingToken, lease) -> {
                    grantsHeard.incrementAndGet();
                    listener.granted(key, token, fencingToken, lease);
                });
            }
        };
        LockTemplate second = track(new LockTemplate(counted, patient));
        Thread secondWaiting = new Thread(() -> second.run(this.key, () -> { }));
        secondWaiting.start();
        awaitQueued(2);
        Thread.sleep(300); // both subscribe to the lock's releases, try once more, then wait (30 s fallback poll)
        int attemptsBefore = attempts.get();
        held.close(); // passes the lock to the first waiter
        assertThat(firstHolds.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        if (sameStore) {
            long giveUp = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (grantsHeard.get() == 0 && System.nanoTime() < giveUp) {
                Thread.sleep(5);
            }
        }
        Thread.sleep(300); // (told of the grant, the second would have tried again by now)
        int heardMeanwhile = grantsHeard.get();
        int attemptsMeanwhile = attempts.get() - attemptsBefore;
        firstLetsGo.countDown(); // the first's release passes the lock on to the second
        secondWaiting.join(Duration.ofSeconds(20).toMillis());
        firstWaiting.join(Duration.ofSeconds(20).toMillis());
        assertThat(secondWaiting.isAlive()).as("the second got the lock in its turn").isFalse();
        return new SecondWaiter(heardMeanwhile, attemptsMeanwhile, grantsHeard.get());
    }

    private record SecondWaiter(int grantsHeardMeanwhile, int attemptsMeanwhile, int grantsHeardInAll) {
    }

    @Test
    void aGrantHeardLateAfterTheLockWentToAnotherOwnerIsNotTaken() throws Exception {
        LockTemplate holder = newProcess();
        LockHandle held = holder.lock(this.key);
        List<Runnable> heardLate = new CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch paused = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch resumed = new java.util.concurrent.CountDownLatch(1);
        LockStore late = new ForwardingLockStore(newStore()) {
            @Override
            public void addGrantListener(GrantListener listener) {
                // grants reach the template only when the test says so
                super.addGrantListener((key, token, fencingToken, lease) -> heardLate
                    .add(() -> listener.granted(key, token, fencingToken, lease)));
            }

            @Override
            public LockAttempt tryAcquire(String key, String token, Duration lease, Duration retryWithin) {
                if (!heardLate.isEmpty() && paused.getCount() > 0) {
                    // the waiter's JVM stops, its next attempt not yet sent (as if paused)
                    paused.countDown();
                    try {
                        resumed.await();
                    }
                    catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                }
                return super.tryAcquire(key, token, lease, retryWithin);
            }
        };
        LockTemplate waiter = track(new LockTemplate(late,
                LockOptions.defaults().withRetryAfter(Duration.ofSeconds(1))));
        java.util.concurrent.CompletableFuture<Long> fencing = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> waiter.execute(this.key, () -> LockContext.current().fencingToken()));
        awaitQueued(1);
        Thread.sleep(300); // it subscribes to the lock's releases, tries once more, then waits
        held.close(); // passes the lock to the waiter; the grant is not heard yet
        long giveUp = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (heardLate.isEmpty() && System.nanoTime() < giveUp) {
            Thread.sleep(5);
        }
        assertThat(heardLate).as("the grant published").hasSize(1);
        assertThat(paused.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        // while the waiter is paused, the lease it was passed the lock with runs out, and another process takes it
        redis().delete("pielock:lock:{" + this.key + "}");
        LockHandle other = newProcess().lock(this.key);
        resumed.countDown(); // its attempt finds the lock held (and reports the other owner's fencing token)
        awaitQueued(1);
        heardLate.get(0).run(); // then the old grant's message arrives
        Thread.sleep(300); // (taken on the message, the lock would now be the waiter's too)
        other.close(); // passes the lock to the waiter, for real
        assertThat(fencing.get(30, java.util.concurrent.TimeUnit.SECONDS))
            .as("the waiter held the lock only after the other owner, with a higher fencing token")
            .isGreaterThan(other.fencingToken());
    }

    @Test
    void aWaiterThatGivesUpLeavesTheQueueSoTheNextReleaseFreesTheLock() throws Exception {
        LockTemplate holder = newProcess();
        LockHandle held = holder.lock(this.key);
        LockTemplate impatient = newProcess();
        LockResult result = impatient.acquire(this.key, LockOptions.defaults().withTimeout(Duration.ofMillis(300)));
        assertThat(result.acquired()).isFalse();
        assertThat(redis().hasKey(KEYS.queue(this.key))).as("the waiter took itself out of the queue").isFalse();
        held.close();
        assertThat(redis().hasKey("pielock:lock:{" + this.key + "}")).as("not passed to a waiter that left")
            .isFalse();
        assertThat(newProcess().tryAcquire(this.key).acquired()).isTrue();
    }

    @Test
    void aWaiterThatStoppedTryingIsNotPassedTheLock() throws Exception {
        LockTemplate holder = newProcess();
        LockHandle held = holder.lock(this.key);
        // a waiting acquisition whose process then died: it promised to try again within 1 ms (and a margin)
        RedisLockStore store = new RedisLockStore(track(TestRedis.connectionFactory()), KEYS);
        Duration within = Duration.ofMillis(1);
        assertThat(store.tryAcquire(this.key, "ghost", Duration.ofSeconds(30), within).acquired()).isFalse();
        assertThat(redis().<String, String>opsForHash().keys(KEYS.queue(this.key))).containsExactly("ghost");
        Thread.sleep(within.plusSeconds(1).plusMillis(300).toMillis());
        held.close();
        assertThat(newProcess().tryAcquire(this.key).acquired()).as("free, not passed to the ghost").isTrue();
    }

    @Test
    void aLockPassedToAProcessThatHasJustDiedFreesItselfWithinSecondsNotItsFullLease() throws Exception {
        LockTemplate holder = newProcess();
        LockHandle held = holder.lock(this.key);
        // a waiting acquisition (30 s lease) whose process then died, right after its last attempt
        RedisLockStore store = new RedisLockStore(track(TestRedis.connectionFactory()), KEYS);
        Duration within = Duration.ofMillis(100);
        assertThat(store.tryAcquire(this.key, "ghost", Duration.ofSeconds(30), within).acquired()).isFalse();
        held.close(); // passes the lock to the ghost
        String lockKey = "pielock:lock:{" + this.key + "}";
        assertThat(redis().opsForValue().get(lockKey)).isEqualTo("ghost");
        // its promise window (100 ms, plus a margin of 1 s) plus one second, not 30 s
        assertThat(redis().getExpire(lockKey, java.util.concurrent.TimeUnit.MILLISECONDS)).isBetween(1L, 2_100L);
        LockTemplate next = newProcess();
        long started = System.nanoTime();
        assertThat(next.acquire(this.key, LockOptions.defaults().withTimeout(Duration.ofSeconds(20))).acquired())
            .isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("well under the ghost's 30 s lease")
            .isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void anAttemptThatFindsTheLockPassedToItsTokenAnswersAcquiredWithTheIssuedFencingToken() {
        LockTemplate holder = newProcess();
        LockHandle held = holder.lock(this.key);
        RedisLockStore store = new RedisLockStore(track(TestRedis.connectionFactory()), KEYS);
        Duration lease = Duration.ofSeconds(30);
        assertThat(store.tryAcquire(this.key, "late", lease, Duration.ofSeconds(5)).acquired()).isFalse();
        held.close(); // passes the lock to "late", whose process did not hear of it
        assertThat(redis().opsForValue().get("pielock:lock:{" + this.key + "}")).isEqualTo("late");
        LockAttempt attempt = store.tryAcquire(this.key, "late", lease, Duration.ofSeconds(5));
        assertThat(attempt.acquired()).isTrue();
        assertThat(attempt.fencingToken()).isGreaterThan(held.fencingToken())
            .isEqualTo(store.inspect(this.key).orElseThrow().lastFencingToken());
        assertThat(store.release(this.key, "late")).isTrue();
    }

    @Test
    void aWaiterInterruptedAfterTheLockWasPassedToItLetsItGoToTheNext() throws Exception {
        LockTemplate holder = newProcess();
        LockHandle held = holder.lock(this.key);
        RedisLockStore store = new RedisLockStore(track(TestRedis.connectionFactory()), KEYS);
        Duration lease = Duration.ofSeconds(30);
        assertThat(store.tryAcquire(this.key, "leaving", lease, Duration.ofSeconds(5)).acquired()).isFalse();
        held.close();
        // the waiter withdraws (interrupted, timed out) just after the lock was passed to it
        LockAttempt withdrawn = store.withdraw(this.key, "leaving", lease);
        assertThat(withdrawn.acquired()).as("passed to it before it left").isTrue();
        assertThat(store.release(this.key, "leaving")).isTrue();
        assertThat(newProcess().tryAcquire(this.key).acquired()).isTrue();
    }

    @Test
    void aTemplateClosedWhileItsThreadWaitsLeavesTheQueueSoTheLockIsNotPassedToIt() throws Exception {
        LockTemplate holder = newProcess();
        LockHandle held = holder.lock(this.key);
        LockTemplate closing = newProcess();
        LockOptions patient = LockOptions.defaults().withTimeout(Duration.ofSeconds(2))
            .withRetryAfter(Duration.ofSeconds(60));
        java.util.concurrent.CompletableFuture<LockResult> waited = java.util.concurrent.CompletableFuture
            .supplyAsync(() -> closing.acquire(this.key, patient));
        awaitQueued(1);
        closing.close(); // the application shuts down while one of its threads waits
        assertThat(redis().hasKey(KEYS.queue(this.key))).as("its waiter left the queue").isFalse();
        held.close();
        assertThat(newProcess().tryAcquire(this.key).acquired()).as("free, not passed to the closed template")
            .isTrue();
        assertThat(waited.get(20, java.util.concurrent.TimeUnit.SECONDS).acquired()).isFalse();
    }

    private void awaitQueued(int waiters) throws InterruptedException {
        long giveUp = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (redis().opsForHash().size(KEYS.queue(this.key)) < waiters && System.nanoTime() < giveUp) {
            Thread.sleep(5);
        }
        assertThat(redis().opsForHash().size(KEYS.queue(this.key))).as("waiting in Redis").isEqualTo(waiters);
    }

    @Test
    void renewalThatFindsTheLockGoneMarksTheHandleLostAndReleaseSaysSo() throws Exception {
        LockTemplate holder = newProcess(LockOptions.defaults().withExpires(Duration.ofMillis(600)));
        LockHandle handle = holder.lock(this.key);
        StringRedisTemplate redis = redis();
        redis.delete("pielock:lock:{" + this.key + "}");
        LockTemplate thief = newProcess();
        assertThat(thief.tryAcquire(this.key).acquired()).isTrue();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (handle.isHeld() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(handle.isHeld()).as("the renewal noticed the lock was taken").isFalse();
        ReleaseResult release = handle.release();
        assertThat(release.released()).isFalse();
        assertThat(release.message()).contains("lost");
        assertThat(redis.opsForValue().get("pielock:lock:{" + this.key + "}")).as("the thief still holds it")
            .isNotNull();
    }

    @Test
    void theStoreNamesTheRedisItUsesForErrorMessages() {
        TestRedis.Endpoint redis = TestRedis.endpoint();
        assertThat(newStore().describe()).isEqualTo("Redis at " + redis.host() + ":" + redis.port());
    }

    @Test
    void aLoneBraceNamesItsKeysEscaped() {
        LockTemplate template = newProcess();
        StringRedisTemplate redis = redis();
        template.acquire("{");
        template.acquire("}");
        assertThat(redis.hasKey("pielock:lock:{%7B}")).isTrue();
        assertThat(redis.hasKey("pielock:fence:{%7B}")).isTrue();
        assertThat(redis.hasKey("pielock:lock:{%7D}")).isTrue();
        assertThat(template.release("{").released()).isTrue();
        assertThat(template.release("}").released()).isTrue();
        assertThat(redis.hasKey("pielock:lock:{%7B}")).isFalse();
    }

    @Test
    void lockAndFencingCounterShareOneClusterSlotEvenWhenTheNameHasBraces() {
        String hostile = this.key + "}{x";
        LockTemplate template = newProcess();
        template.acquire(hostile);
        StringRedisTemplate redis = redis();
        List<String> written = List.of(KEYS.lock(hostile), KEYS.fence(hostile));
        assertThat(written).allSatisfy(k -> assertThat(redis.hasKey(k)).isTrue());
        assertThat(KEYS.lock(hostile)).isEqualTo("pielock:lock:{" + this.key + "%7D%7Bx}");
        template.release(hostile);
    }

    @Test
    void releasedNamesLeaveNothingInRedisOnceTheirLeaseHasPassedAndTokensStillRise() throws Exception {
        Duration lease = Duration.ofMillis(800);
        LockTemplate template = newProcess(LockOptions.defaults().withExpires(lease));
        int names = 2_000;
        long firstToken = 0;
        for (int i = 0; i < names; i++) {
            try (LockHandle handle = template.lock(this.key + ":" + i)) {
                firstToken = i == 0 ? handle.fencingToken() : firstToken;
            }
        }
        StringRedisTemplate redis = redis();
        String pattern = "pielock:*{" + this.key + ":*";
        long issued = System.nanoTime();
        assertThat(redis.keys(pattern)).as("fencing counters while their lease runs").isNotEmpty()
            .allMatch(k -> k.startsWith("pielock:fence:"));
        Thread.sleep(lease.plusMillis(200).toMillis());
        assertThat(System.nanoTime() - issued).isGreaterThan(lease.toNanos());
        assertThat(redis.keys(pattern)).as("nothing left one lease after the last acquisition").isEmpty();
        try (LockHandle again = template.lock(this.key + ":0")) {
            assertThat(again.fencingToken()).as("higher than before although its counter expired (server time)")
                .isGreaterThan(firstToken);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aReleaseReachesOnlyTheProcessesThatWaitForThatLock() throws Exception {
        StringRedisTemplate redis = redis();
        // a short linger: the audience waits for the subscriptions to end
        ReleaseAudience.onlyTheWaitersHearAContendedLocksReleases(
                i -> track(TestLockStores.withLinger((RedisLockStore) newStore(), Duration.ofSeconds(1))), this.key,
                name -> redis.execute((RedisCallback<Long>) connection -> {
                    // each waiting store has its own channel for the lock: <release channel>:<listener>
                    byte[] pattern = (KEYS.releaseChannel(name) + ":*").getBytes(StandardCharsets.UTF_8);
                    try {
                        return (long) ((RedisClusterAsyncCommands<byte[], byte[]>) connection.getNativeConnection())
                            .pubsubChannels(pattern).get().size();
                    }
                    catch (Exception ex) {
                        throw new IllegalStateException(ex);
                    }
                }));
    }
}
