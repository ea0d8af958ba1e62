package io.pielock.interceptor;

import java.lang.reflect.Method;
import java.time.Duration;

import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.StringValueResolver;

import io.pielock.annotation.DistributedLocked;
import io.pielock.lock.LockAcquisitionException;

/** Reads {@link DistributedLocked} into validated, cached {@link LockOperation}s. */
public class LockOperationSource extends OperationSource<LockOperation> {

    static final String ANNOTATION = "@DistributedLocked";

    private final StringValueResolver placeholders;

    /**
     * @param placeholders resolves {@code ${…}} in duration attributes; may be {@code null}
     */
    public LockOperationSource(StringValueResolver placeholders) {
        this.placeholders = placeholders;
    }

    @Override
    protected LockOperation parse(Method method, Class<?> targetClass) {
        DistributedLocked locked = AnnotatedElementUtils.findMergedAnnotation(method, DistributedLocked.class);
        if (locked == null) {
            return null;
        }
        if (locked.tries() < -1) {
            throw new AnnotationConfigurationException(ANNOTATION, method,
                    "tries must be 0 (no limit) or positive, but was " + locked.tries(), null);
        }
        try {
            return new LockOperation(method, KeyExpressions.parse(ANNOTATION, method, locked.key()), locked.key(),
                    resolve(locked.prefix()), duration(method, "expires", locked.expires()),
                    duration(method, "timeout", locked.timeout()),
                    duration(method, "retryAfter", locked.retryAfter()), locked.tries(),
                    FallbackMethod.resolve(ANNOTATION, method, targetClass, locked.fallback(),
                            LockAcquisitionException.class));
        }
        catch (IllegalArgumentException ex) {
            throw new AnnotationConfigurationException(ANNOTATION, method, ex.getMessage(), ex);
        }
    }

    private Duration duration(Method method, String attribute, String text) {
        String resolved = resolve(text);
        if (resolved.isEmpty()) {
            return null;
        }
        try {
            return DurationText.parse(resolved);
        }
        catch (IllegalArgumentException ex) {
            throw new AnnotationConfigurationException(ANNOTATION, method, attribute + " " + ex.getMessage(), ex);
        }
    }

    private String resolve(String text) {
        if (text.isEmpty() || this.placeholders == null) {
            return text;
        }
        String resolved = this.placeholders.resolveStringValue(text);
        return (resolved != null) ? resolved.trim() : "";
    }
}
