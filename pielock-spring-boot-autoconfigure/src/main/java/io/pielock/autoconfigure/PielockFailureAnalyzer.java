package io.pielock.autoconfigure;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

import io.pielock.interceptor.AnnotationConfigurationException;

/**
 * Explains why pielock stopped the application from starting: an invalid annotation, an invalid property, or
 * a Redis store with no Redis.
 */
class PielockFailureAnalyzer implements FailureAnalyzer {

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof AnnotationConfigurationException ex) {
                return new FailureAnalysis(ex.getMessage(),
                        "Fix the annotation on " + ex.getMethod().getDeclaringClass().getSimpleName() + "."
                                + ex.getMethod().getName() + "(): " + ex.getProblem(),
                        ex);
            }
            if (cause instanceof InvalidPielockPropertyException ex) {
                return new FailureAnalysis(ex.getMessage(),
                        "Correct " + ex.getProperty() + " in your configuration (application.yml or properties).",
                        ex);
            }
            if (cause instanceof MissingRedisException ex) {
                return new FailureAnalysis(ex.getMessage(),
                        "Add spring-boot-starter-data-redis (or pielock-spring-boot-starter) and configure "
                                + "spring.data.redis.*, or set pielock.redis.host, or choose pielock.store=memory "
                                + "for a single instance.",
                        ex);
            }
        }
        return null;
    }
}
