package io.pielock.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
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

/**
 * A second JVM for tests of real process faults: started with {@code java.home}'s {@code java} on the test
 * class path, it runs a {@code main} class and talks over its standard streams. Lines the child prints through
 * {@link #reply(String)} are its answers; everything else it prints (logs) goes to a file. It can be frozen
 * (SIGSTOP, as a long GC pause would), thawed, and killed with SIGKILL.
 */
public final class JavaProcess implements AutoCloseable {

    private static final String REPLY = "#pielock-reply ";

    private final Process process;

    private final PrintWriter input;

    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();

    private final Path log;

    private JavaProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.input = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8),
                true);
        Thread reader = new Thread(this::readOutput, "java-process-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code main} in a new JVM tuned to start fast (small heap, C1 only), its log in a temporary file.
     * @param main the class whose {@code main} method to run; it must be on the test class path
     * @param args its arguments
     * @return the running process
     */
    public static JavaProcess start(Class<?> main, String... args) {
        try {
            return start(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"),
                    Files.createTempFile("pielock-" + main.getSimpleName() + "-", ".log"), main, args);
        }
        catch (IOException ex) {
            throw new IllegalStateException("Could not create a log file for " + main.getName(), ex);
        }
    }

    /**
     * Starts {@code main} in a new JVM.
     * @param jvmOptions options for the new JVM, for example {@code -Xmx512m}
     * @param log where its output other than answers goes
     * @param main the class whose {@code main} method to run; it must be on the class path
     * @param args its arguments
     * @return the running process
     */
    public static JavaProcess start(List<String> jvmOptions, Path log, Class<?> main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath(), main.getName()));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
            return new JavaProcess(process, log);
        }
        catch (IOException ex) {
            throw new IllegalStateException("Could not start a JVM for " + main.getName(), ex);
        }
    }

    /**
     * Called in the child: prints an answer for the parent.
     * @param line the answer (one line)
     */
    public static void reply(String line) {
        System.out.println(REPLY + line);
        System.out.flush();
    }

    /**
     * Sends one line to the child's standard input.
     * @param line the line
     */
    public void send(String line) {
        this.input.println(line);
    }

    /**
     * @param limit how long to wait
     * @return the child's next answer
     * @throws IllegalStateException if none came in time (the message points at the child's log)
     */
    public String nextReply(Duration limit) {
        try {
            String line = this.replies.poll(limit.toNanos(), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new IllegalStateException("no answer from " + this + " within " + limit + "; alive="
                        + this.process.isAlive() + ", see " + this.log);
            }
            return line;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Sends a request and waits for the answer.
     * @param line the request
     * @param limit how long to wait
     * @return the answer
     */
    public String ask(String line, Duration limit) {
        send(line);
        return nextReply(limit);
    }

    /** Freezes the JVM (SIGSTOP): every thread stops, lease renewal included. */
    public void pause() {
        Signals.send(this.process, "STOP");
    }

    /** Thaws a frozen JVM (SIGCONT). */
    public void resume() {
        Signals.send(this.process, "CONT");
    }

    /**
     * Asks the JVM to end (sends {@code goodbye}), and kills it if it has not ended within {@code grace}.
     * @param goodbye the line that makes the child exit
     * @param grace how long it may take
     */
    public void stop(String goodbye, Duration grace) {
        if (!this.process.isAlive()) {
            return;
        }
        send(goodbye);
        try {
            if (!this.process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    /** Kills the JVM with SIGKILL: no shutdown hooks, no finally blocks, no releases. */
    public void kill() {
        this.process.destroyForcibly();
        try {
            this.process.waitFor(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return whether it still runs */
    public boolean isAlive() {
        return this.process.isAlive();
    }

    /** @return where its non-answer output goes */
    public Path log() {
        return this.log;
    }

    private void readOutput() {
        try (BufferedReader output = new BufferedReader(
                new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8));
                Writer logWriter = Files.newBufferedWriter(this.log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = output.readLine()) != null) {
                if (line.startsWith(REPLY)) {
                    this.replies.add(line.substring(REPLY.length()));
                }
                else {
                    logWriter.write(line);
                    logWriter.write('\n');
                    logWriter.flush();
                }
            }
        }
        catch (IOException ex) {
            // the process ended
        }
    }

    private static String classPath() {
        // surefire runs tests from a manifest-only jar; it publishes the real class path here
        String surefire = System.getProperty("surefire.test.class.path");
        return (surefire != null && !surefire.isBlank()) ? surefire : System.getProperty("java.class.path");
    }

    @Override
    public void close() {
        if (this.process.isAlive()) {
            kill();
        }
    }

    @Override
    public String toString() {
        return "JVM pid " + this.process.pid();
    }
}
