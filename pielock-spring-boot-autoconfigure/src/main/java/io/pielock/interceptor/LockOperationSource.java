package io.pielock.interceptor;

import java.lang.reflect.Method;

import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.StringValueResolver;

import io.pielock.annotation.DistributedLocked;
import io.pielock.lock.LockAcquisitionException;

/** Reads {@link DistributedLocked} into validated, cached {@link LockOperation}s. */
public class LockOperationSource extends OperationSource<LockOperation> {

    static final String ANNOTATION = "@DistributedLocked";

    private final AttributeText attributes;

    private volatile String asynchronousMethod;

    /**
     * @param placeholders resolves {@code ${…}} in duration attributes; may be {@code null}
     */
    public LockOperationSource(StringValueResolver placeholders) {
        this.attributes = new AttributeText(placeholders);
    }

    @Override
    protected LockOperation parse(Method method, Class<?> targetClass) {
        DistributedLocked locked = AnnotatedElementUtils.findMergedAnnotation(method, DistributedLocked.class);
        if (locked == null) {
            return null;
        }
        LockedResult result = AsynchronousResults.lockedResult(method, targetClass);
        if (result.isAsynchronous() && this.asynchronousMethod == null) {
            this.asynchronousMethod = AnnotationConfigurationException.describe(method);
        }
        if (locked.tries() < -1) {
            throw new AnnotationConfigurationException(ANNOTATION, method,
                    "tries must be 0 (no limit) or positive, but was " + locked.tries(), null);
        }
        try {
            return new LockOperation(method, KeyExpressions.parse(ANNOTATION, method, locked.key()), locked.key(),
                    this.attributes.resolve(locked.prefix()),
                    this.attributes.duration(ANNOTATION, method, "expires", locked.expires()),
                    this.attributes.duration(ANNOTATION, method, "timeout", locked.timeout()),
                    this.attributes.duration(ANNOTATION, method, "retryAfter", locked.retryAfter()), locked.tries(),
                    locked.reentrant(), FallbackMethod.resolve(ANNOTATION, method, targetClass, locked.fallback(),
                            LockAcquisitionException.class), result);
        }
        catch (IllegalArgumentException ex) {
            throw new AnnotationConfigurationException(ANNOTATION, method, ex.getMessage(), ex);
        }
    }

    /**
     * @return one of the annotated methods read so far whose result completes later ({@code Mono}, {@code Flux},
     *         {@code CompletionStage}), as {@code Type.method(Params)}, or {@code null} if there is none: those
     *         need a {@code ReactiveLockTemplate}
     */
    public String asynchronousMethod() {
        return this.asynchronousMethod;
    }
}
