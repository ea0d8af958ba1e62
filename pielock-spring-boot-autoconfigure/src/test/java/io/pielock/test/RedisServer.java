package io.pielock.test;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway {@code redis-server} process on a free port, for tests: nothing persisted, its own directory,
 * killed with the JVM. Tests may stop, pause (SIGSTOP), resume and restart it to inject faults.
 */
public final class RedisServer implements AutoCloseable {

    private final int port;

    private final Path dir;

    private final List<String> extraArgs;

    /** Sentinel configuration lines, or null for a plain server. */
    private final List<String> sentinelConfig;

    private Process process;

    private RedisServer(int port, List<String> extraArgs) throws IOException {
        this(port, extraArgs, null);
    }

    private RedisServer(int port, List<String> extraArgs, List<String> sentinelConfig) throws IOException {
        this.port = port;
        this.extraArgs = extraArgs;
        this.sentinelConfig = sentinelConfig;
        this.dir = Files.createTempDirectory("pielock-redis-" + port + "-");
    }

    /**
     * Starts a Sentinel ({@code redis-server <conf> --sentinel}: what {@code redis-sentinel} runs) on a
     * free port, with the given configuration lines (e.g. {@code sentinel monitor ...}); Sentinel rewrites that
     * file itself as it learns.
     * @param configLines the lines of its configuration file
     * @return the running Sentinel
     */
    public static RedisServer startSentinel(List<String> configLines) {
        int port = freePort();
        try {
            RedisServer sentinel = new RedisServer(port, List.of(), List.copyOf(configLines));
            Files.write(sentinel.dir.resolve("sentinel.conf"), configLines);
            sentinel.launch();
            return sentinel;
        }
        catch (IOException ex) {
            throw new IllegalStateException("Could not start a Sentinel on port " + port + ": " + ex.getMessage(),
                    ex);
        }
    }

    /** @return whether {@code redis-server} can be run from the PATH */
    public static boolean binaryAvailable() {
        try {
            Process probe = new ProcessBuilder("redis-server", "--version").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
        }
        catch (IOException ex) {
            return false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Starts a server on a free port and waits until it answers PING.
     * @param extraArgs more {@code redis-server} arguments, e.g. {@code "--cluster-enabled", "yes"}
     * @return the running server
     */
    public static RedisServer start(String... extraArgs) {
        for (int attempt = 1;; attempt++) {
            try {
                return startOn(freePort(), extraArgs);
            }
            catch (PortInUse ex) {
                // another process bound the port between freePort() and redis-server's bind (or, for a Cluster node,
                // its bus port, port + 10000, which freePort() cannot check): take another
                if (attempt == 5) {
                    throw ex;
                }
            }
        }
    }

    /** redis-server could not bind its port or its Cluster bus port. */
    private static final class PortInUse extends IllegalStateException {

        PortInUse(String message) {
            super(message);
        }
    }

    /**
     * Starts a server on a given port (one reserved with {@link #freePort()} earlier, for example to start Redis
     * only after an application that expects it there is already running).
     * @param port the port to listen on
     * @param extraArgs more {@code redis-server} arguments
     * @return the running server
     */
    public static RedisServer startOn(int port, String... extraArgs) {
        try {
            RedisServer server = new RedisServer(port, List.of(extraArgs));
            server.launch();
            return server;
        }
        catch (IOException ex) {
            throw new IllegalStateException("Could not start redis-server on port " + port + ": " + ex.getMessage(),
                    ex);
        }
    }

    /** @return the port it listens on */
    public int port() {
        return this.port;
    }

    /** @return its host */
    public String host() {
        return "127.0.0.1";
    }

    /** @return its process id, while it runs */
    public synchronized long pid() {
        return this.process.pid();
    }

    /** @return the file its output goes to */
    public Path logFile() {
        return this.dir.resolve("redis.log");
    }

    /** @return a {@code redis://} URL */
    public String url() {
        return "redis://" + host() + ":" + this.port;
    }

    private synchronized void launch() throws IOException {
        List<String> command = (this.sentinelConfig != null)
                ? new ArrayList<>(List.of("redis-server", this.dir.resolve("sentinel.conf").toString(), "--sentinel",
                        "--port", Integer.toString(this.port), "--bind", "127.0.0.1", "--dir", this.dir.toString(),
                        "--protected-mode", "no"))
                : new ArrayList<>(List.of("redis-server", "--port", Integer.toString(this.port), "--bind",
                        "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", this.dir.toString(),
                        "--protected-mode", "no"));
        command.addAll(this.extraArgs);
        this.process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
            .start();
        Process started = this.process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
        awaitPing(Duration.ofSeconds(20));
    }

    /** Kills the server (SIGKILL); what it held is lost. */
    public synchronized void stop() {
        if (this.process != null) {
            this.process.destroyForcibly();
            try {
                this.process.waitFor(10, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            this.process = null;
        }
    }

    /** Stops and starts again on the same port, empty (no persistence). */
    public synchronized void restart() {
        stop();
        try {
            launch();
        }
        catch (IOException ex) {
            throw new IllegalStateException("Could not restart redis-server on port " + this.port, ex);
        }
    }

    /** @return whether its process runs (it may be paused) */
    public synchronized boolean isRunning() {
        return this.process != null && this.process.isAlive();
    }

    /** Freezes the process (SIGSTOP): connections stay open, nothing answers. */
    public void pause() {
        signal("STOP");
    }

    /** Thaws a paused process (SIGCONT). */
    public void resume() {
        signal("CONT");
    }

    private synchronized void signal(String name) {
        Signals.send(this.process, name);
    }

    /**
     * Sends one command and returns the raw RESP reply's first line (enough for tests' administrative calls).
     * @param args the command and its arguments
     * @return the reply's first line, e.g. {@code +OK} or {@code :1}
     */
    public String command(String... args) {
        return exchange(args, Resp::readLine);
    }

    /**
     * Sends one command and returns its whole reply: a {@code String} (simple or bulk string), a {@code Long},
     * a {@code List} (array), or {@code null}.
     * @param args the command and its arguments
     * @return the reply
     * @throws IllegalStateException if Redis answers with an error (its text is the message) or does not answer
     */
    public Object call(String... args) {
        return exchange(args, Resp::read);
    }

    /**
     * Sends commands on one connection, for commands that depend on an earlier one (e.g. {@code READONLY}
     * before reading from a cluster replica).
     * @param commands the commands, each with its arguments
     * @return their replies, in order
     */
    public List<Object> callAll(List<String[]> commands) {
        String[] none = {};
        return exchange(none, in -> {
            List<Object> replies = new ArrayList<>();
            for (int i = 0; i < commands.size(); i++) {
                replies.add(Resp.read(in));
            }
            return replies;
        }, commands);
    }

    /**
     * @param section an {@code INFO} section, e.g. {@code replication}
     * @param field a field of it, e.g. {@code connected_slaves}
     * @return the field's value, or {@code null} if absent
     */
    public String info(String section, String field) {
        return Resp.field((String) call("INFO", section), field);
    }

    /**
     * Waits until some client subscribes to a channel matching {@code pattern} on this server (a lock's waiters
     * subscribe to channels of their own: {@code <release channel>:<listener>}).
     * @param pattern a {@code PUBSUB CHANNELS} pattern
     * @param limit how long to wait
     */
    public void awaitChannel(String pattern, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (((List<?>) call("PUBSUB", "CHANNELS", pattern)).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("nobody subscribed to a channel matching " + pattern + " on port "
                        + this.port + " within " + limit);
            }
            RedisCluster.sleep(20);
        }
    }

    private <T> T exchange(String[] args, Resp.Reader<T> reader) {
        return exchange(args, reader, List.of());
    }

    private <T> T exchange(String[] args, Resp.Reader<T> reader, List<String[]> more) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host(), this.port), 2000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            if (args.length > 0) {
                out.write(Resp.request(args));
            }
            for (String[] command : more) {
                out.write(Resp.request(command));
            }
            out.flush();
            return reader.read(new BufferedInputStream(socket.getInputStream()));
        }
        catch (IOException ex) {
            throw new IllegalStateException("redis-server on port " + this.port + " did not answer: " + ex, ex);
        }
    }

    private boolean bindFailed() {
        try {
            return !this.process.isAlive()
                    && Files.readString(logFile(), StandardCharsets.UTF_8).contains("Address already in use");
        }
        catch (IOException ex) {
            return false;
        }
    }

    private void awaitPing(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            try {
                if ("+PONG".equals(command("PING"))) {
                    return;
                }
            }
            catch (IllegalStateException ex) {
                // not up yet
            }
            if (System.nanoTime() > deadline || !this.process.isAlive()) {
                String message = "redis-server did not answer on port " + this.port + "; see " + logFile();
                throw bindFailed() ? new PortInUse(message + " (address already in use)")
                        : new IllegalStateException(message);
            }
            try {
                Thread.sleep(20);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
        }
    }

    /** @return a port nothing listens on right now */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
