package io.pielock.autoconfigure;

import io.pielock.annotation.RateLimited;
import io.pielock.limiter.TimeUnit;

/**
 * A bean with a {@code @RateLimited} method and a fallback, for application-level tests; counts how often either
 * ran (a fallback must not run when the limit could not be checked).
 */
public class RateLimitedCalls {

    private int calls;

    /**
     * @param user whose call it is
     * @return {@code "served <user>"}
     */
    @RateLimited(key = "'user:' + #user", per = TimeUnit.MINUTE, count = 1, fallback = "busy")
    public String call(String user) {
        this.calls++;
        return "served " + user;
    }

    String busy(String user) {
        this.calls++;
        return "busy";
    }

    /** @return how often the method or its fallback ran */
    public int calls() {
        return this.calls;
    }
}
