package io.pielock.autoconfigure;

import java.util.HashSet;
import java.util.Set;

import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the {@code pielock} actuator endpoint ({@code management.endpoint.pielock.*}),
 * following Boot's {@code env} endpoint.
 */
@ConfigurationProperties("management.endpoint.pielock")
public class PielockEndpointProperties {

    /**
     * When to show lock keys (which often carry user data) unmasked; otherwise they read '******'.
     */
    private Show showValues = Show.NEVER;

    /**
     * Roles used to determine whether a user is authorized to be shown unmasked keys. When empty, all
     * authenticated users are authorized.
     */
    private final Set<String> roles = new HashSet<>();

    public Show getShowValues() {
        return this.showValues;
    }

    public void setShowValues(Show showValues) {
        this.showValues = showValues;
    }

    public Set<String> getRoles() {
        return this.roles;
    }
}
