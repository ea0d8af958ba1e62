package io.pielock.benchmark.scenario.footprint;

import java.time.Duration;

import io.pielock.benchmark.measure.CommandStats;

/**
 * What one kind of operation cost Redis, measured over many of them.
 * @param operation what was done, e.g. {@code lock acquire}
 * @param driver the pielock call that did it
 * @param operations how many were measured
 * @param threads how many threads made them
 * @param commands the {@code INFO commandstats} delta over the operations (the harness's own {@code INFO} calls
 *        left out)
 * @param cpuMicros the server process's CPU time over the operations ({@code INFO cpu} delta)
 * @param elapsed how long the operations took, seen by the client
 */
public record OperationCost(String operation, String driver, long operations, int threads, CommandStats commands,
        long cpuMicros, Duration elapsed) {

    /** @return Redis commands per operation, the scripts and every command they ran counted */
    public double commandsPerOperation() {
        return (double) this.commands.calls() / this.operations;
    }

    /**
     * @param command a command's name
     * @return its calls per operation
     */
    public double callsPerOperation(String command) {
        return (double) this.commands.calls(command) / this.operations;
    }

    /**
     * @param command a command's name
     * @return its microseconds per operation, 0 if it did not run
     */
    public double usecPerOperation(String command) {
        CommandStats.Command counters = this.commands.commands().get(command);
        return (counters == null) ? 0 : (double) counters.usec() / this.operations;
    }

    /** @return server microseconds per operation in scripts, the commands they ran included */
    public double scriptUsecPerOperation() {
        return (double) this.commands.scriptUsec() / this.operations;
    }

    /** @return server process CPU microseconds per operation, reading requests and writing replies included */
    public double cpuUsecPerOperation() {
        return (double) this.cpuMicros / this.operations;
    }

    /** @return operations per second, as this client saw them */
    public double throughput() {
        return this.operations / (this.elapsed.toNanos() / 1e9);
    }
}
