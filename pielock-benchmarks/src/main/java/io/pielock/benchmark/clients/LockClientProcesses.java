package io.pielock.benchmark.clients;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

import io.pielock.test.JavaProcess;

/**
 * The separate JVMs of the four-client scenario, each running {@link LockClientProcess}, started once and reused
 * for every contender and round (so they are warm, like the main process). Their log output goes to files in the
 * given directory. Unlike the tests' processes, they run with the full JIT.
 */
public final class LockClientProcesses implements AutoCloseable {

    private final List<JavaProcess> children = new ArrayList<>();

    private LockClientProcesses() {
    }

    /**
     * @param count how many processes
     * @param logs where their output goes
     * @return the running processes
     */
    public static LockClientProcesses start(int count, Path logs) {
        try {
            Files.createDirectories(logs);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not create " + logs + " for the client processes' logs", ex);
        }
        LockClientProcesses processes = new LockClientProcesses();
        try {
            for (int i = 0; i < count; i++) {
                processes.children.add(JavaProcess.start(List.of("-Xmx512m"), logs.resolve("client-" + i + ".log"),
                        LockClientProcess.class));
            }
            return processes;
        }
        catch (RuntimeException ex) {
            processes.close();
            throw ex;
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
        for (JavaProcess child : this.children) {
            String answer = child.nextReply(limit);
            if (answer.startsWith("failed")) {
                throw new IllegalStateException("Client process " + child + " failed: " + answer + "; see "
                        + child.log());
            }
            answers.add(answer.split("\t"));
        }
        return answers;
    }

    @Override
    public void close() {
        for (JavaProcess child : this.children) {
            child.stop("exit", Duration.ofSeconds(20));
        }
    }
}
