package io.pielock.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy in front of a test Redis that can lose a reply: the network fault where a command reaches Redis
 * and runs, but the connection breaks before the client reads the answer (a client that reconnects and
 * retries then runs the command a second time). It can also cut the network for good ({@link #partition()}).
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket listener;

    private final String host;

    private final int port;

    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private final AtomicReference<byte[]> cutAfter = new AtomicReference<>();

    /** Whether the armed fault resets the connection (RST) rather than closing it (FIN). */
    private volatile boolean reset;

    /** Whether the network between clients and server is cut: connections are closed as they come. */
    private volatile boolean partitioned;

    private TcpProxy(String host, int port) throws IOException {
        this.host = host;
        this.port = port;
        this.listener = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "tcp-proxy-" + this.listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * @param host the server's host
     * @param port the server's port
     * @return a running proxy
     */
    public static TcpProxy to(String host, int port) {
        try {
            return new TcpProxy(host, port);
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** @return the port clients connect to */
    public int port() {
        return this.listener.getLocalPort();
    }

    /**
     * Arms the fault once: the next request containing {@code marker} is passed on to the server, and that
     * connection is then cut before any of the server's answer reaches the client.
     * @param marker text the request contains, e.g. a key
     */
    public void loseReplyToNextRequestContaining(String marker) {
        this.reset = false;
        this.cutAfter.set(marker.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Arms the fault once: the next request containing {@code marker} is passed on to the server, and once the
     * server has answered (so the command ran) the client's connection is reset (TCP RST, as when a server
     * process is killed or a connection is killed with unread data) instead of receiving the answer. The client
     * sees an I/O error on a command in flight, not a quiet close.
     * @param marker text the request contains, e.g. a key
     */
    public void resetConnectionAfterNextRequestContaining(String marker) {
        this.reset = true;
        this.cutAfter.set(marker.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Cuts the network between the proxy's clients and the server, for good: open connections are closed, new
     * ones are closed as soon as they are accepted (the clients see the server as gone, the server runs on).
     */
    public void partition() {
        this.partitioned = true;
        this.sockets.forEach(TcpProxy::closeQuietly);
    }

    /** @return whether the armed fault has fired */
    public boolean replyLost() {
        return this.cutAfter.get() == null;
    }

    private void accept() {
        while (!this.listener.isClosed()) {
            try {
                Socket client = this.listener.accept();
                if (this.partitioned) {
                    closeQuietly(client);
                    continue;
                }
                Socket server = new Socket();
                server.connect(new InetSocketAddress(this.host, this.port), 2000);
                this.sockets.add(client);
                this.sockets.add(server);
                Connection connection = new Connection(client, server);
                start(() -> connection.pump(client, server, true));
                start(() -> connection.pump(server, client, false));
            }
            catch (IOException ex) {
                // closed, or the server is down: the client sees a dropped connection
            }
        }
    }

    private static void start(Runnable pump) {
        Thread thread = new Thread(pump, "tcp-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        try {
            this.listener.close();
        }
        catch (IOException ex) {
            // closing anyway
        }
        this.sockets.forEach(TcpProxy::closeQuietly);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        }
        catch (IOException ex) {
            // closing anyway
        }
    }

    private final class Connection {

        private final Socket client;

        private final Socket server;

        private volatile boolean cutBeforeNextReply;

        private volatile boolean resetClient;

        Connection(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void pump(Socket from, Socket to, boolean request) {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) != -1) {
                    if (!request && this.cutBeforeNextReply) {
                        if (this.resetClient) {
                            this.client.setSoLinger(true, 0);
                        }
                        break;
                    }
                    byte[] marker = TcpProxy.this.cutAfter.get();
                    if (request && marker != null && contains(buffer, read, marker)
                            && TcpProxy.this.cutAfter.compareAndSet(marker, null)) {
                        this.resetClient = TcpProxy.this.reset;
                        this.cutBeforeNextReply = true;
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            }
            catch (IOException ex) {
                // one side went away
            }
            closeQuietly(this.client);
            closeQuietly(this.server);
        }
    }

    private static boolean contains(byte[] buffer, int length, byte[] marker) {
        outer: for (int i = 0; i + marker.length <= length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (buffer[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
