package io.pielock.faults;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.pielock.lock.LockAcquisitionException;
import io.pielock.lock.LockHandle;
import io.pielock.lock.LockOptions;
import io.pielock.lock.LockTemplate;
import io.pielock.lock.ReleaseResult;
import io.pielock.store.redis.RedisKeys;
import io.pielock.store.redis.RedisLockStore;
import io.pielock.test.FencedCounter;
import io.pielock.test.JavaProcess;
import io.pielock.test.TestRedis;

/**
 * One application instance of {@link ChaosTest}, in its own JVM: threads that, until the deadline, take the
 * lock, read the fenced counter, pause briefly, write it plus one, and release, counting every outcome.
 * Arguments: lock Redis port, resource Redis port, counter name, worker name, threads, seconds, lease ms.
 * Answers {@code ready}, waits for {@code go}, and answers its figures ({@link Figures#toLine()}) at the end,
 * then {@code stalled} followed by the fencing tokens of the sections in which it stalled past its lease.
 */
public final class ChaosWorker {

    private final LockTemplate template;

    private final LockOptions options;

    private final FencedCounter counter;

    private final String name;

    private final Figures figures = new Figures();

    /** Tokens of sections this JVM spent longer than the lease in, between its read and its write. */
    private final Queue<Long> stalledSections = new ConcurrentLinkedQueue<>();

    private ChaosWorker(LockTemplate template, LockOptions options, FencedCounter counter, String name) {
        this.template = template;
        this.options = options;
        this.counter = counter;
        this.name = name;
    }

    public static void main(String[] args) throws Exception {
        LettuceConnectionFactory locks = TestRedis.connectionFactory("127.0.0.1", Integer.parseInt(args[0]),
                Duration.ofSeconds(1));
        LettuceConnectionFactory resources = TestRedis.connectionFactory("127.0.0.1", Integer.parseInt(args[1]),
                Duration.ofSeconds(5));
        LockOptions options = LockOptions.defaults()
            .withExpires(Duration.ofMillis(Long.parseLong(args[6])))
            .withTimeout(Duration.ofSeconds(5))
            .withRetryAfter(Duration.ofMillis(200));
        ChaosWorker worker = new ChaosWorker(new LockTemplate(new RedisLockStore(locks, new RedisKeys("pielock:"))),
                options, new FencedCounter(new StringRedisTemplate(resources), args[2]), args[3]);
        JavaProcess.reply("ready");
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(args[5])).toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < Integer.parseInt(args[4]); i++) {
            Thread thread = new Thread(() -> worker.runUntil(deadline), args[3] + "-" + i);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        JavaProcess.reply(worker.figures.toLine());
        JavaProcess.reply("stalled" + worker.stalledSections.stream().map(token -> " " + token)
            .collect(Collectors.joining()));
        System.exit(0);
    }

    private void runUntil(long deadline) {
        while (System.nanoTime() < deadline) {
            LockHandle handle;
            try {
                handle = this.template.lock("chaos", this.options);
            }
            catch (LockAcquisitionException ex) {
                (ex.getReason() == LockAcquisitionException.Reason.STORE_UNAVAILABLE ? this.figures.storeUnavailable
                        : this.figures.lockTimeouts).incrementAndGet();
                pause(50);
                continue;
            }
            try {
                incrementUnder(handle);
            }
            catch (RuntimeException ex) {
                this.figures.errors.incrementAndGet();
                ex.printStackTrace();
                handle.release();
            }
        }
    }

    private void incrementUnder(LockHandle handle) {
        this.figures.criticalSections.incrementAndGet();
        long token = handle.fencingToken();
        boolean refused;
        OptionalLong value = this.counter.read(token, this.name);
        if (value.isEmpty()) {
            this.figures.staleReadsRefused.incrementAndGet();
            refused = true;
        }
        else {
            long readAt = System.nanoTime();
            // a critical section worth pausing in: the chaos test freezes holders here
            pause(ThreadLocalRandom.current().nextLong(5, 16));
            if (System.nanoTime() - readAt > this.options.expires().toNanos()) {
                // this JVM's own clock says it stalled past its lease between read and write (SIGSTOP keeps the
                // monotonic clock running): the one situation in which fencing must refuse the write, if a newer
                // holder has meanwhile reached the resource
                this.stalledSections.add(token);
            }
            refused = !this.counter.write(token, value.getAsLong() + 1, this.name);
            (refused ? this.figures.staleWritesRefused : this.figures.acceptedWrites).incrementAndGet();
        }
        ReleaseResult release = handle.release();
        if (!release.released()) {
            this.figures.leasesLost.incrementAndGet();
        }
        else if (refused) {
            // refused, yet the lock was still ours: a newer token was issued while we held the lock
            this.figures.refusedWhileHeld.incrementAndGet();
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** One worker's counts, sent to the test as one line of {@code name=value} pairs. */
    static final class Figures {

        final AtomicLong criticalSections = new AtomicLong();

        final AtomicLong acceptedWrites = new AtomicLong();

        final AtomicLong staleWritesRefused = new AtomicLong();

        final AtomicLong staleReadsRefused = new AtomicLong();

        final AtomicLong refusedWhileHeld = new AtomicLong();

        final AtomicLong leasesLost = new AtomicLong();

        final AtomicLong storeUnavailable = new AtomicLong();

        final AtomicLong lockTimeouts = new AtomicLong();

        final AtomicLong errors = new AtomicLong();

        String toLine() {
            return "criticalSections=" + this.criticalSections + " acceptedWrites=" + this.acceptedWrites
                    + " staleWritesRefused=" + this.staleWritesRefused + " staleReadsRefused="
                    + this.staleReadsRefused + " refusedWhileHeld=" + this.refusedWhileHeld + " leasesLost="
                    + this.leasesLost + " storeUnavailable=" + this.storeUnavailable + " lockTimeouts="
                    + this.lockTimeouts + " errors=" + this.errors;
        }
    }
}
