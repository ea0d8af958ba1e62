package io.pielock.mutation;

import java.lang.reflect.Method;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * Makes a PIT mutation minion's test discovery cheap: the minion learns its tests from PIT's JUnit 5 plugin, which
 * finds them by running every test class that covers the minion's mutants, lifecycle methods and all. For the
 * Redis suites that is a minute of real time per minion, spent before the first mutant runs, and a minion starts
 * for every mutation unit and again after every mutant that timed out.
 * <p>
 * While (and only while) that discovery runs in a {@code MutationTestMinion}, this interceptor skips test bodies and
 * lifecycle methods, so each test is still reported (started and finished) without doing anything. Everywhere else
 * (surefire, PIT's coverage run, which needs the tests to run, and PIT running a test against a mutant) it
 * proceeds. The core execution of the {@code mutation} profile ({@code mutation-core}) turns it on through JUnit's
 * extension auto-detection ({@code META-INF/services}); without {@code junit.jupiter.extensions.autodetection.enabled}
 * it is never loaded.
 */
public final class SkipTestBodiesWhilePitFindsTests implements InvocationInterceptor {

    private static final String MINION = "org.pitest.mutationtest.execute.MutationTestMinion";

    private static final String FINDS_TESTS = "findTestsForTestClasses";

    private static final StackWalker STACK = StackWalker.getInstance();

    /** @return whether this thread is running a mutation minion's discovery of its tests */
    static boolean pitIsFindingTests() {
        return STACK.walk(frames -> frames
            .anyMatch(frame -> frame.getClassName().equals(MINION) && frame.getMethodName().equals(FINDS_TESTS)));
    }

    private static void proceedUnlessFindingTests(Invocation<Void> invocation) throws Throwable {
        if (pitIsFindingTests()) {
            invocation.skip();
        }
        else {
            invocation.proceed();
        }
    }

    @Override
    public void interceptBeforeAllMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> context,
            ExtensionContext extensionContext) throws Throwable {
        proceedUnlessFindingTests(invocation);
    }

    @Override
    public void interceptBeforeEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> context,
            ExtensionContext extensionContext) throws Throwable {
        proceedUnlessFindingTests(invocation);
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> context,
            ExtensionContext extensionContext) throws Throwable {
        proceedUnlessFindingTests(invocation);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> context,
            ExtensionContext extensionContext) throws Throwable {
        proceedUnlessFindingTests(invocation);
    }

    @Override
    public void interceptAfterEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> context,
            ExtensionContext extensionContext) throws Throwable {
        proceedUnlessFindingTests(invocation);
    }

    @Override
    public void interceptAfterAllMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> context,
            ExtensionContext extensionContext) throws Throwable {
        proceedUnlessFindingTests(invocation);
    }
}
