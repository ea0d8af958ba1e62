package io.pielock.autoconfigure;

/**
 * A {@code pielock.*} property whose value cannot work. Fails the application at startup;
 * {@link PielockFailureAnalyzer} turns it into a description and an action.
 */
public class InvalidPielockPropertyException extends IllegalStateException {

    private final String property;

    private final String problem;

    /**
     * @param property the property (or group) at fault, for example {@code pielock.lock}
     * @param problem what is wrong
     * @param cause the underlying error, or {@code null}
     */
    public InvalidPielockPropertyException(String property, String problem, Throwable cause) {
        super("Invalid " + property + ": " + problem, cause);
        this.property = property;
        this.problem = problem;
    }

    /** @return the property (or group) at fault */
    public String getProperty() {
        return this.property;
    }

    /** @return what is wrong */
    public String getProblem() {
        return this.problem;
    }
}
