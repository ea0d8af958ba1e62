package io.pielock.interceptor;

import java.lang.reflect.Method;

/** How metrics, traces and messages name an annotated method: {@code ClassName.method}, simple class name. */
final class MethodName {

    private MethodName() {
    }

    static String of(Method method) {
        return method.getDeclaringClass().getSimpleName() + "." + method.getName();
    }
}
