package io.pielock.interceptor;

/**
 * Applies {@link DistributedLockInterceptor} to methods that carry {@code @DistributedLocked}. Matching reads
 * (and validates) the annotation, so a bad one fails the context while beans are being proxied.
 */
public class DistributedLockAdvisor extends OperationAdvisor<DistributedLockInterceptor> {

    /**
     * @param operations the annotation metadata
     * @param interceptor the advice
     * @param order the advisor's order; lower runs further out (before {@code @Transactional} by default)
     */
    public DistributedLockAdvisor(LockOperationSource operations, DistributedLockInterceptor interceptor,
            int order) {
        super(operations, interceptor, order);
    }
}
