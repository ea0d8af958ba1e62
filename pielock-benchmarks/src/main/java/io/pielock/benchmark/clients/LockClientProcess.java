package io.pielock.benchmark.clients;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataOutputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.pielock.benchmark.contender.Contenders;
import io.pielock.benchmark.contender.HeldLock;
import io.pielock.benchmark.contender.LockClient;
import io.pielock.benchmark.contender.RedisEndpoint;
import io.pielock.benchmark.measure.CriticalSection;
import io.pielock.benchmark.measure.LockCycles;
import io.pielock.benchmark.measure.LockLoop;
import io.pielock.benchmark.measure.Threads;
import io.pielock.test.JavaProcess;

/**
 * The {@code main} of one client process in the four-client scenario. It reads tab-separated commands from
 * standard input and answers each with one line ({@link JavaProcess#reply(String)}):
 * <ul>
 * <li>{@code open <contender> <host> <port>}: connects a new client (and takes a few locks to open its
 * connections);</li>
 * <li>{@code run <key> <threads> <client> <startAt> <endAt> <section file> <cycles file>}: runs the lock loop on
 * threads whose holder ids carry the client number, against the critical section mapped from the shared file,
 * and writes the cycles to the cycles file;</li>
 * <li>{@code close}: closes the client; {@code exit}: ends the process.</li>
 * </ul>
 */
public final class LockClientProcess {

    private LockClient client;

    private LockClientProcess() {
    }

    /**
     * @param args none
     * @throws Exception if standard input cannot be read
     */
    public static void main(String[] args) throws Exception {
        LockClientProcess process = new LockClientProcess();
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = commands.readLine()) != null) {
            String[] words = line.split("\t");
            if (words[0].equals("exit")) {
                break;
            }
            try {
                reply(process.handle(words));
            }
            catch (Exception ex) {
                reply("failed\t" + String.valueOf(ex).replace('\n', ' '));
            }
        }
        process.closeClient();
        System.exit(0);
    }

    private String handle(String[] words) throws Exception {
        return switch (words[0]) {
            case "open" -> open(words[1], new RedisEndpoint(words[2], Integer.parseInt(words[3])));
            case "run" -> run(words[1], Integer.parseInt(words[2]), Integer.parseInt(words[3]),
                    Long.parseLong(words[4]), Long.parseLong(words[5]), Path.of(words[6]), Path.of(words[7]));
            case "close" -> {
                closeClient();
                yield "closed";
            }
            default -> throw new IllegalArgumentException("Unknown command: " + String.join(" ", words));
        };
    }

    private String open(String contender, RedisEndpoint redis) {
        closeClient();
        this.client = Contenders.lock(contender).connect(redis);
        for (int i = 0; i < 20; i++) {
            HeldLock held = this.client.lock("s4:warm:" + ProcessHandle.current().pid());
            held.unlock();
        }
        return "opened";
    }

    private String run(String key, int threads, int clientNumber, long startAt, long endAt, Path sectionFile,
            Path cyclesFile) throws Exception {
        CriticalSection section = CriticalSection.shared(sectionFile);
        List<LockLoop> loops = new ArrayList<>();
        for (int thread = 0; thread < threads; thread++) {
            loops.add(new LockLoop(this.client, key, section, startAt, endAt,
                    clientNumber * LockCycles.PER_CLIENT + thread));
        }
        Threads.runAll("client-" + clientNumber, loops);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(cyclesFile)))) {
            LockCycles.merge(loops.stream().map(LockLoop::cycles).toList()).write(out);
        }
        long errors = loops.stream().mapToLong(LockLoop::errors).sum();
        String firstError = loops.stream().map(LockLoop::firstError).filter(error -> error != null).findFirst()
            .orElse("-");
        return "ran\t" + section.overlaps() + "\t" + errors + "\t" + firstError.replace('\n', ' ').replace('\t', ' ');
    }

    private void closeClient() {
        if (this.client != null) {
            this.client.close();
            this.client = null;
        }
    }

    private static void reply(String line) {
        JavaProcess.reply(line);
    }
}
