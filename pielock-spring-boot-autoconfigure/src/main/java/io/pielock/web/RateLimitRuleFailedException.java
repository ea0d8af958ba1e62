package io.pielock.web;

/**
 * A request denied because an HTTP rate limit rule could not be applied to it: the rule's key was null or blank, or
 * its cost not a whole number of at least 1 ({@code pielock.limiter.http.on-missing-key=deny}, the default). The
 * rule, its expression and the reason are in the ERROR log of {@link HttpRateLimitRules}; the response is a 500 with
 * a problem detail ({@link RateLimitExceptionHandler#handleRateLimitRuleFailed}) that names neither, as they are
 * internals.
 */
public class RateLimitRuleFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param method the request's method
     * @param path the request's path within the application
     */
    public RateLimitRuleFailedException(String method, String path) {
        super("A rate limit rule could not be applied to " + method + " " + path
                + " (no key or no valid cost; see the ERROR log of " + HttpRateLimitRules.class.getName() + ")");
    }
}
