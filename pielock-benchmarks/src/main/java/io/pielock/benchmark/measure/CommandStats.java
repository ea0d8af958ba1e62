package io.pielock.benchmark.measure;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A snapshot of Redis's {@code INFO commandstats}: calls and microseconds spent per command, the commands that
 * scripts run included (Redis counts a command run by {@code redis.call} under its own name, and the script's
 * whole run, those commands included, under {@code evalsha}). Subtract two snapshots for what happened between
 * them.
 * @param commands per command name (lower case, as Redis reports it: {@code evalsha}, {@code set},
 *        {@code client|setinfo}), its calls and microseconds
 */
public record CommandStats(Map<String, Command> commands) {

    /** The commands that run scripts: their time includes the time of the commands the scripts run. */
    public static final Set<String> SCRIPT_COMMANDS = Set.of("evalsha", "eval", "evalsha_ro", "eval_ro", "fcall",
            "fcall_ro");

    /**
     * One command's counters.
     * @param calls how many times it ran
     * @param usec microseconds it ran, in total
     */
    public record Command(long calls, long usec) {
    }

    /**
     * @param commands per command name, its counters
     */
    public CommandStats {
        commands = Collections.unmodifiableMap(new TreeMap<>(commands));
    }

    /**
     * @param info the text of {@code INFO commandstats}
     * @return its counters
     */
    public static CommandStats parse(String info) {
        Map<String, Command> commands = new TreeMap<>();
        for (String line : info.split("\r?\n")) {
            if (!line.startsWith("cmdstat_")) {
                continue;
            }
            int colon = line.indexOf(':');
            long calls = 0;
            long usec = 0;
            for (String field : line.substring(colon + 1).split(",")) {
                if (field.startsWith("calls=")) {
                    calls = Long.parseLong(field.substring("calls=".length()));
                }
                else if (field.startsWith("usec=")) {
                    usec = Long.parseLong(field.substring("usec=".length()));
                }
            }
            commands.put(line.substring("cmdstat_".length(), colon), new Command(calls, usec));
        }
        return new CommandStats(commands);
    }

    /**
     * @param before an earlier snapshot of the same server
     * @param ignored commands to leave out (the harness's own, such as {@code info})
     * @return what ran between the two snapshots: only commands whose calls grew
     */
    public CommandStats since(CommandStats before, Set<String> ignored) {
        Map<String, Command> delta = new TreeMap<>();
        this.commands.forEach((name, after) -> {
            Command earlier = before.commands.getOrDefault(name, new Command(0, 0));
            long calls = after.calls - earlier.calls;
            if (calls > 0 && !ignored.contains(name)) {
                delta.put(name, new Command(calls, after.usec - earlier.usec));
            }
        });
        return new CommandStats(delta);
    }

    /**
     * @param other counters of another stretch of time
     * @return both together
     */
    public CommandStats plus(CommandStats other) {
        Map<String, Command> sum = new TreeMap<>(this.commands);
        other.commands.forEach((name, command) -> sum.merge(name, command,
                (a, b) -> new Command(a.calls + b.calls, a.usec + b.usec)));
        return new CommandStats(sum);
    }

    /** @return calls of every command, scripts and the commands they ran included */
    public long calls() {
        return this.commands.values().stream().mapToLong(Command::calls).sum();
    }

    /**
     * @param name a command
     * @return its calls, 0 if it did not run
     */
    public long calls(String name) {
        Command command = this.commands.get(name);
        return (command != null) ? command.calls : 0;
    }

    /** @return microseconds of the script commands (which include the commands the scripts ran) */
    public long scriptUsec() {
        return this.commands.entrySet().stream().filter(e -> SCRIPT_COMMANDS.contains(e.getKey()))
            .mapToLong(e -> e.getValue().usec).sum();
    }
}
