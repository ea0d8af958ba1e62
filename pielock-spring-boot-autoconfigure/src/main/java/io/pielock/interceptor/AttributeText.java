package io.pielock.interceptor;

import java.lang.reflect.Method;
import java.time.Duration;

import org.springframework.util.StringValueResolver;

/**
 * Reads the text attributes of pielock annotations: resolves {@code ${…}} placeholders, and parses durations
 * with {@link DurationText}, failing with an {@link AnnotationConfigurationException} that names the method and
 * the attribute.
 */
final class AttributeText {

    private final StringValueResolver placeholders;

    /**
     * @param placeholders resolves {@code ${…}}; may be {@code null}
     */
    AttributeText(StringValueResolver placeholders) {
        this.placeholders = placeholders;
    }

    /**
     * @param text an attribute's text
     * @return the text with placeholders resolved and trimmed; empty stays empty
     */
    String resolve(String text) {
        if (text.isEmpty() || this.placeholders == null) {
            return text;
        }
        String resolved = this.placeholders.resolveStringValue(text);
        return (resolved != null) ? resolved.trim() : "";
    }

    /**
     * @param annotation the annotation's name, for the error message
     * @param method the annotated method
     * @param attribute the attribute's name
     * @param text the attribute's text
     * @return the duration, or {@code null} when the (resolved) text is empty
     * @throws AnnotationConfigurationException if the text is not a duration
     */
    Duration duration(String annotation, Method method, String attribute, String text) {
        String resolved = resolve(text);
        if (resolved.isEmpty()) {
            return null;
        }
        try {
            return DurationText.parse(resolved);
        }
        catch (IllegalArgumentException ex) {
            throw new AnnotationConfigurationException(annotation, method, attribute + " " + ex.getMessage(), ex);
        }
    }
}
