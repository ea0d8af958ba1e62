package io.pielock.interceptor;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.expression.BeanFactoryResolver;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.NativeDetector;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.SpelCompilerMode;
import org.springframework.expression.spel.SpelNode;
import org.springframework.expression.spel.SpelParserConfiguration;
import org.springframework.expression.spel.ast.VariableReference;
import org.springframework.expression.spel.standard.SpelExpression;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.util.ReflectionUtils;

import io.pielock.key.Keys;

/**
 * Parses key expressions once (at startup, per annotated method) and evaluates them per call against the
 * method's arguments, {@code #root} ({@link KeyRoot}) and the application's beans ({@code @name}).
 * <p>
 * The value becomes the key's text by one rule: strings, numbers, booleans, characters, UUIDs, enums (their
 * name), and objects that override {@code toString()} (records do) are used as text. Null or blank results,
 * texts longer than {@link Keys#MAX_LENGTH}, collections, arrays, maps and objects without their
 * own {@code toString()} are rejected with an
 * {@link IllegalArgumentException} naming the method and the expression: their text would not name the
 * resource, and a lock on "null" or on an identity hash would exclude nothing.
 */
public final class KeyExpressions {

    /**
     * MIXED: interpreted at first, compiled to bytecode once the expression has run a few times. Interpreted only
     * in a native image, which cannot load classes generated at runtime.
     */
    private static final SpelExpressionParser PARSER = new SpelExpressionParser(new SpelParserConfiguration(
            NativeDetector.inNativeImage() ? SpelCompilerMode.OFF : SpelCompilerMode.MIXED,
            KeyExpressions.class.getClassLoader()));

    /**
     * {@code #p0}, {@code #a1}: parameters by position, always available; without leading zeros, as the evaluation
     * context names them ({@code #p01} is no parameter).
     */
    private static final Pattern POSITIONAL = Pattern.compile("[pa](0|[1-9]\\d*)");

    private static final ParameterNameDiscoverer PARAMETER_NAMES = new DefaultParameterNameDiscoverer();

    private final ParameterNameDiscoverer parameterNames = PARAMETER_NAMES;

    private final BeanFactoryResolver beanResolver;

    /**
     * @param beanFactory resolves {@code @bean} references; may be {@code null}
     */
    public KeyExpressions(BeanFactory beanFactory) {
        this.beanResolver = (beanFactory != null) ? new BeanFactoryResolver(beanFactory) : null;
    }

    /**
     * @param annotation the annotation's name, for the error message
     * @param method the annotated method
     * @param text the expression
     * @return the parsed expression
     * @throws AnnotationConfigurationException if it does not parse, or names a variable ({@code #name}) that
     *         is not one of the method's parameters (or parameter names are not available at all)
     */
    static Expression parse(String annotation, Method method, String text) {
        if (text == null || text.isBlank()) {
            throw new AnnotationConfigurationException(annotation, method,
                    "key must not be empty; give a SpEL expression such as \"#order.id\" or \"'nightly-report'\"",
                    null);
        }
        return parse(annotation, method, "key", text);
    }

    /**
     * Parses another attribute's expression (such as {@code @RateLimited}'s {@code cost}) with the key's rules.
     * @param annotation the annotation's name, for the error message
     * @param method the annotated method
     * @param attribute the attribute's name, for the error message
     * @param text the expression, not blank
     * @return the parsed expression
     * @throws AnnotationConfigurationException as {@link #parse(String, Method, String)}
     */
    static Expression parse(String annotation, Method method, String attribute, String text) {
        Expression expression;
        try {
            expression = PARSER.parseExpression(text);
        }
        catch (ParseException ex) {
            throw new AnnotationConfigurationException(annotation, method,
                    attribute + " expression \"" + text + "\" does not parse: " + ex.getMessage()
                            + ". Quote literals ('nightly-report') and refer to parameters as #name, #p0 or #a0",
                    ex);
        }
        checkVariables(annotation, method, attribute, text, expression, PARAMETER_NAMES.getParameterNames(method));
        return expression;
    }

    /**
     * Checks, at startup, that every variable an expression names will exist when it is evaluated: a
     * parameter's name, {@code #p0}/{@code #a0} within the parameter count, {@code #root} or {@code #this}.
     * Otherwise a typo, or a build without {@code -parameters}, would only show at the first call, as a
     * {@code null} key.
     * @param parameterNames the method's parameter names, or {@code null} if they are not available
     */
    static void checkVariables(String annotation, Method method, String text, Expression expression,
            String[] parameterNames) {
        checkVariables(annotation, method, "key", text, expression, parameterNames);
    }

    private static void checkVariables(String annotation, Method method, String attribute, String text,
            Expression expression, String[] parameterNames) {
        if (!(expression instanceof SpelExpression spel)) {
            return;
        }
        Set<String> variables = new LinkedHashSet<>();
        collectVariables(spel.getAST(), variables);
        for (String variable : variables) {
            if (variable.equals("root") || variable.equals("this")) {
                continue;
            }
            Matcher positional = POSITIONAL.matcher(variable);
            boolean named = parameterNames != null && Arrays.asList(parameterNames).contains(variable);
            if (positional.matches() && !named) {
                String index = positional.group(1);
                if (index.length() > 9 || Integer.parseInt(index) >= method.getParameterCount()) {
                    throw new AnnotationConfigurationException(annotation, method, attribute + " expression \"" + text
                            + "\" refers to #" + variable + ", but the method has " + method.getParameterCount()
                            + " parameter(s), numbered from 0", null);
                }
                continue;
            }
            if (parameterNames == null) {
                throw new AnnotationConfigurationException(annotation, method, attribute + " expression \"" + text
                        + "\" refers to #" + variable + " by name, but the method's parameter names are not "
                        + "available at runtime. Compile with -parameters (Maven: "
                        + "<maven.compiler.parameters>true</maven.compiler.parameters>, which "
                        + "spring-boot-starter-parent sets; Gradle: Spring Boot's plugin sets it), or refer to the "
                        + "parameter by position as #p0 or #a0", null);
            }
            if (!named) {
                throw new AnnotationConfigurationException(annotation, method, attribute + " expression \"" + text
                        + "\" refers to #" + variable + ", which is not a parameter of the method; its parameters are "
                        + (parameterNames.length == 0 ? "none" : "#" + String.join(", #", parameterNames))
                        + " (or #p0, #a0 … by position; #root for the method, target and arguments)", null);
            }
        }
    }

    private static void collectVariables(SpelNode node, Set<String> into) {
        if (node instanceof VariableReference) {
            into.add(node.toStringAST().substring(1)); // "#name"
        }
        for (int i = 0; i < node.getChildCount(); i++) {
            collectVariables(node.getChild(i), into);
        }
    }

    /**
     * Evaluates a key expression for one call.
     * @param expression the parsed expression
     * @param expressionText its text, for error messages
     * @param method the annotated (most specific) method
     * @param target the bean
     * @param args the call's arguments
     * @return the key's text
     * @throws IllegalArgumentException if the value cannot serve as a key
     */
    public String evaluate(Expression expression, String expressionText, Method method, Object target,
            Object[] args) {
        return toKey(value(expression, method, target, args), method, expressionText);
    }

    /**
     * Evaluates a condition expression for one call, with the same variables as key expressions.
     * @param expression the parsed condition
     * @param expressionText its text, for error messages
     * @param method the annotated (most specific) method
     * @param target the bean
     * @param args the call's arguments
     * @return the condition's value
     * @throws IllegalArgumentException if it does not evaluate to a boolean
     */
    public boolean test(Expression expression, String expressionText, Method method, Object target, Object[] args) {
        Object value = value(expression, method, target, args);
        if (value instanceof Boolean result) {
            return result;
        }
        throw new IllegalArgumentException("Condition \"" + expressionText + "\" of "
                + AnnotationConfigurationException.describe(method) + " evaluated to "
                + ((value == null) ? "null" : "a " + value.getClass().getName()) + ", not a boolean");
    }

    /**
     * Evaluates an expression for one call in a key's context (arguments, {@code #root}, beans), as it is.
     * @param expression the parsed expression
     * @param method the annotated (most specific) method
     * @param target the bean
     * @param args the call's arguments
     * @return its value, possibly {@code null}
     */
    Object value(Expression expression, Method method, Object target, Object[] args) {
        KeyRoot root = new KeyRoot(method, target, args);
        MethodBasedEvaluationContext context = new MethodBasedEvaluationContext(root, method, args,
                this.parameterNames);
        if (this.beanResolver != null) {
            context.setBeanResolver(this.beanResolver);
        }
        return expression.getValue(context);
    }

    static String toKey(Object value, Method method, String expressionText) {
        if (value == null) {
            throw invalid(method, expressionText, "evaluated to null");
        }
        if (value instanceof Collection<?> || value instanceof Map<?, ?> || value.getClass().isArray()) {
            throw invalid(method, expressionText, "evaluated to a " + value.getClass().getSimpleName()
                    + "; select one value, or join them explicitly (e.g. T(String).join(',', #ids))");
        }
        String text;
        if (value instanceof Enum<?> constant) {
            text = constant.name();
        }
        else if (value instanceof CharSequence || value instanceof Number || value instanceof Boolean
                || value instanceof Character || value instanceof UUID || overridesToString(value.getClass())) {
            text = value.toString();
        }
        else {
            throw invalid(method, expressionText, "evaluated to a " + value.getClass().getName()
                    + ", which does not override toString(); select a property such as #order.id");
        }
        if (text.isBlank()) {
            throw invalid(method, expressionText, "evaluated to a blank string");
        }
        if (text.length() > Keys.MAX_LENGTH) {
            throw invalid(method, expressionText, "evaluated to " + text.length() + " characters, more than the "
                    + Keys.MAX_LENGTH + " a key may have; select an identifier such as #order.id");
        }
        return text;
    }

    private static boolean overridesToString(Class<?> type) {
        Method toString = ReflectionUtils.findMethod(type, "toString");
        return toString != null && toString.getDeclaringClass() != Object.class;
    }

    private static IllegalArgumentException invalid(Method method, String expressionText, String problem) {
        return new IllegalArgumentException("Key expression \"" + expressionText + "\" of "
                + AnnotationConfigurationException.describe(method) + " " + problem);
    }

    /**
     * The {@code #root} object of key expressions.
     *
     * @param method the annotated method ({@code #root.method})
     * @param target the bean ({@code #root.target})
     * @param args the call's arguments ({@code #root.args})
     */
    public record KeyRoot(Method method, Object target, Object[] args) {

        /** @return the annotated method */
        public Method getMethod() {
            return this.method;
        }

        /** @return the method's name */
        public String getMethodName() {
            return this.method.getName();
        }

        /** @return the bean */
        public Object getTarget() {
            return this.target;
        }

        /** @return the bean's class */
        public Class<?> getTargetClass() {
            return this.target.getClass();
        }

        /** @return the call's arguments */
        public Object[] getArgs() {
            return this.args;
        }
    }
}
