package io.pielock.web.reactive;

import java.net.InetSocketAddress;

import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The {@code #request} of an HTTP rate limit rule's key in WebFlux: a read-only view of the request with the getters
 * of the servlet request that rules use in Spring MVC, so that one key expression reads the same in both.
 */
public final class RuleRequest {

    private final ServerHttpRequest request;

    RuleRequest(ServerHttpRequest request) {
        this.request = request;
    }

    /**
     * @return the client's address, such as {@code 203.0.113.7}, as Spring's {@code ForwardedHeaderTransformer}
     *         left it ({@code server.forward-headers-strategy=framework}); {@code null} if unknown
     */
    public String getRemoteAddr() {
        InetSocketAddress address = this.request.getRemoteAddress();
        if (address == null) {
            return null;
        }
        return (address.getAddress() != null) ? address.getAddress().getHostAddress() : address.getHostString();
    }

    /**
     * @param name a header's name, in any case
     * @return the header's first value, or {@code null}
     */
    public String getHeader(String name) {
        return this.request.getHeaders().getFirst(name);
    }

    /** @return the HTTP method, such as {@code GET} */
    public String getMethod() {
        return this.request.getMethod().name();
    }

    /** @return the path within the application, such as {@code /orders/42} */
    public String getPath() {
        return this.request.getPath().pathWithinApplication().value();
    }
}
