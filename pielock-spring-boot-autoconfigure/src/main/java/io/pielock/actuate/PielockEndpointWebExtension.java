package io.pielock.actuate;

import java.util.Set;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.Selector.Match;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

import io.pielock.actuate.PielockEndpoint.LockDescriptor;
import io.pielock.actuate.PielockEndpoint.PielockDescriptor;

/**
 * {@link EndpointWebExtension @EndpointWebExtension} for the {@link PielockEndpoint}: over HTTP, whether keys are
 * shown depends on the caller ({@code show-values: when-authorized} shows them to an authenticated caller in one
 * of the configured roles), as Boot's {@code env} endpoint decides for values.
 */
@EndpointWebExtension(endpoint = PielockEndpoint.class)
public class PielockEndpointWebExtension {

    private final PielockEndpoint delegate;

    private final Show showValues;

    private final Set<String> roles;

    /**
     * @param delegate the endpoint
     * @param showValues when to show keys unmasked
     * @param roles the roles of which a caller needs one to be shown keys when {@code showValues} is
     *        {@link Show#WHEN_AUTHORIZED} (empty: any authenticated caller)
     */
    public PielockEndpointWebExtension(PielockEndpoint delegate, Show showValues, Set<String> roles) {
        this.delegate = delegate;
        this.showValues = showValues;
        this.roles = roles;
    }

    /**
     * @param securityContext the caller
     * @return everything pielock does in this JVM
     */
    @ReadOperation
    public PielockDescriptor pielock(SecurityContext securityContext) {
        return this.delegate.pielock(this.showValues.isShown(securityContext, this.roles));
    }

    /**
     * {@code GET /actuator/pielock/locks/{key}}.
     * @param securityContext the caller
     * @param kind {@code locks}; anything else is not found
     * @param key the lock's name: the rest of the path, slashes included
     * @return what the store says about the lock now and whether this JVM holds it; 404 for another kind
     */
    @ReadOperation
    public WebEndpointResponse<LockDescriptor> lock(SecurityContext securityContext, @Selector String kind,
            @Selector(match = Match.ALL_REMAINING) String... key) {
        if (!PielockEndpoint.LOCKS.equals(kind)) {
            return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
        }
        return new WebEndpointResponse<>(this.delegate.lock(String.join("/", key),
                this.showValues.isShown(securityContext, this.roles)), WebEndpointResponse.STATUS_OK);
    }
}
