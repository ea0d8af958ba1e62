package io.pielock.test;

import java.time.Duration;

import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.netty.http.client.HttpClient;

/**
 * {@link WebTestClient}s for tests over real HTTP against a Reactor Netty server, sending every exchange on a
 * connection of its own ({@code Connection: close}).
 * <p>
 * Why not keep-alive: Reactor Netty 1.3.6 and 1.3.7 (1.3.6 is the version Spring Boot 4.0.7 manages) can stop
 * reading a keep-alive connection after a request that arrived while the one before was still finishing and was
 * then answered synchronously (reactor/reactor-netty#4361, fixed in its snapshots of September 2026, after the
 * releases this build can get). The next request on that connection then waits until the client gives up. It
 * failed pielock's build once (a 30 s timeout on one of three requests that a rule answers 500 without calling
 * Redis), and a plain Reactor Netty server with no pielock in it reproduces it: about 3 in 200 connections
 * carrying one delayed and then three immediate answers stall, on 1.3.6 and on 1.3.7. These tests are about
 * pielock's answers, not about connection reuse, so each exchange takes a new connection.
 */
public final class NettyHttp {

    private NettyHttp() {
    }

    /**
     * @param port the server's port on {@code localhost}
     * @param responseTimeout how long one exchange may take
     * @return a client whose exchanges each use a new connection
     */
    public static WebTestClient client(int port, Duration responseTimeout) {
        return WebTestClient.bindToServer(new ReactorClientHttpConnector(HttpClient.create().keepAlive(false)))
            .baseUrl("http://localhost:" + port)
            .responseTimeout(responseTimeout)
            .build();
    }
}
