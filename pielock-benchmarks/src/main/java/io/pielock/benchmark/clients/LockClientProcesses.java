package io.pielock.benchmark.clients;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * The separate JVMs of the four-client scenario, each running {@link LockClientProcess}, started once and reused
 * for every contender and round (so they are warm, like the main process). Their log output goes to files in the
 * given directory.
 */
public final class LockClientProcesses implements AutoCloseable {

    private final List<Child> children = new ArrayList<>();

    private LockClientProcesses() {
    }

    /**
     * @param count how many processes
     * @param logs where their output goes
     * @return the running processes
     */
    public static LockClientProcesses start(int count, Path logs) {
        LockClientProcesses processes = new LockClientProcesses();
        try {
            Files.createDirectories(logs);
            for (int i = 0; i < count; i++) {
                processes.children.add(new Child(logs.resolve("client-" + i + ".log")));
            }
            return processes;
        }
        catch (IOException ex) {
            processes.close();
            throw new UncheckedIOException("Could not start client processes", ex);
        }
    }

    /** @return how many processes */
    public int size() {
        return this.children.size();
    }

    /**
     * Sends each process its command, then waits for every answer.
     * @param command the command for process {@code i} (tab-separated words)
     * @param limit how long to wait for each answer
     * @return the answers, in process order
     * @throws IllegalStateException if a process fails the command or does not answer in time
     */
    public List<String[]> askAll(IntFunction<String> command, Duration limit) {
        for (int i = 0; i < this.children.size(); i++) {
            this.children.get(i).send(command.apply(i));
        }
        List<String[]> answers = new ArrayList<>();
        for (Child child : this.children) {
            String answer = child.nextReply(limit);
            if (answer.startsWith("failed")) {
                throw new IllegalStateException("Client process " + child + " failed: " + answer + "; see "
                        + child.log);
            }
            answers.add(answer.split("\t"));
        }
        return answers;
    }

    @Override
    public void close() {
        for (Child child : this.children) {
            child.stop();
        }
    }

    private static final class Child {

        private final Process process;

        private final PrintWriter input;

        private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();

        private final Path log;

        Child(Path log) throws IOException {
            this.log = log;
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-cp", classPath(), LockClientProcess.class.getName());
            this.process = new ProcessBuilder(command).redirectErrorStream(true).start();
            Runtime.getRuntime().addShutdownHook(new Thread(this.process::destroyForcibly));
            this.input = new PrintWriter(new OutputStreamWriter(this.process.getOutputStream(), StandardCharsets.UTF_8),
                    true);
            Thread reader = new Thread(this::readOutput, "client-process-" + this.process.pid());
            reader.setDaemon(true);
            reader.start();
        }

        void send(String line) {
            this.input.println(line);
        }

        String nextReply(Duration limit) {
            try {
                String reply = this.replies.poll(limit.toMillis(), TimeUnit.MILLISECONDS);
                if (reply == null) {
                    throw new IllegalStateException("No answer from client process " + this + " within " + limit
                            + " (alive: " + this.process.isAlive() + "); see " + this.log);
                }
                return reply;
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + this, ex);
            }
        }

        void stop() {
            if (this.process.isAlive()) {
                send("exit");
                try {
                    if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
                        this.process.destroyForcibly();
                    }
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    this.process.destroyForcibly();
                }
            }
        }

        private void readOutput() {
            try (BufferedReader output = new BufferedReader(
                    new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8));
                    Writer logWriter = Files.newBufferedWriter(this.log, StandardCharsets.UTF_8)) {
                String line;
                while ((line = output.readLine()) != null) {
                    if (line.startsWith(LockClientProcess.REPLY)) {
                        this.replies.add(line.substring(LockClientProcess.REPLY.length()));
                    }
                    else {
                        logWriter.write(line);
                        logWriter.write('\n');
                        logWriter.flush();
                    }
                }
            }
            catch (IOException ex) {
                // the process ended; a missing answer says so
            }
        }

        private static String classPath() {
            // under surefire the JVM's class path is a manifest-only jar; the real one is published here
            String surefire = System.getProperty("surefire.test.class.path");
            return (surefire != null && !surefire.isBlank()) ? surefire : System.getProperty("java.class.path");
        }

        @Override
        public String toString() {
            return "pid " + this.process.pid();
        }
    }
}
