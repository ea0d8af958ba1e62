package io.pielock.interceptor;

/**
 * Applies {@link RateLimitInterceptor} to methods that carry {@code @RateLimited}. Matching reads (and
 * validates) the annotations, so a bad one fails the context while beans are being proxied.
 */
public class RateLimitAdvisor extends OperationAdvisor<RateLimitInterceptor> {

    /**
     * @param operations the annotation metadata
     * @param interceptor the advice
     * @param order the advisor's order; lower runs further out (outside {@code @DistributedLocked} by default)
     */
    public RateLimitAdvisor(RateLimitOperationSource operations, RateLimitInterceptor interceptor, int order) {
        super(operations, interceptor, order);
    }
}
