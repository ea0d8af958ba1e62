package io.pielock.test;

import java.io.IOException;
import java.io.InputStream;
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

    private Process process;

    private RedisServer(int port, List<String> extraArgs) throws IOException {
        this.port = port;
        this.extraArgs = extraArgs;
        this.dir = Files.createTempDirectory("pielock-redis-" + port + "-");
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
        try {
            RedisServer server = new RedisServer(freePort(), List.of(extraArgs));
            server.launch();
            return server;
        }
        catch (IOException ex) {
            throw new IllegalStateException("Could not start redis-server: " + ex.getMessage(), ex);
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

    /** @return a {@code redis://} URL */
    public String url() {
        return "redis://" + host() + ":" + this.port;
    }

    private synchronized void launch() throws IOException {
        List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(this.port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", this.dir.toString(),
                "--protected-mode", "no"));
        command.addAll(this.extraArgs);
        this.process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(this.dir.resolve("redis.log").toFile())
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

    /** Freezes the process (SIGSTOP): connections stay open, nothing answers. */
    public void pause() {
        signal("STOP");
    }

    /** Thaws a paused process (SIGCONT). */
    public void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(this.process.pid())).start();
            kill.waitFor(10, TimeUnit.SECONDS);
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Sends one command and returns the raw RESP reply's first line (enough for tests' administrative calls).
     * @param args the command and its arguments
     * @return the reply's first line, e.g. {@code +OK} or {@code :1}
     */
    public String command(String... args) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host(), this.port), 2000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
            for (String arg : args) {
                byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
                request.append('$').append(bytes.length).append("\r\n").append(arg).append("\r\n");
            }
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return readLine(socket.getInputStream());
        }
        catch (IOException ex) {
            throw new IllegalStateException("redis-server on port " + this.port + " did not answer: " + ex, ex);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
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
                throw new IllegalStateException("redis-server did not answer on port " + this.port + "; see "
                        + this.dir.resolve("redis.log"));
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
