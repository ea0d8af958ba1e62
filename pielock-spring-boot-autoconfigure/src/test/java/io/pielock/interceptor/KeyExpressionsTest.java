package io.pielock.interceptor;

import java.lang.reflect.Method;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What key expressions need from a build: checked at startup, with the fix in the message. */
class KeyExpressionsTest {

    @Test
    void withoutParameterNamesAKeyByNameFailsGivingBothFixes() throws Exception {
        Method ship = Shipping.class.getMethod("ship", String.class);
        assertThatThrownBy(() -> KeyExpressions.checkVariables("@DistributedLocked", ship, "#orderId",
                KeyExpressions.parse("@DistributedLocked", ship, "#orderId"), null))
            .isInstanceOf(AnnotationConfigurationException.class)
            .hasMessageContaining("Shipping.ship(String)")
            .hasMessageContaining("refers to #orderId by name, but the method's parameter names are not available")
            .hasMessageContaining("<maven.compiler.parameters>true</maven.compiler.parameters>")
            .hasMessageContaining("#p0 or #a0");
    }

    @Test
    void withoutParameterNamesKeysByPositionOrRootStillWork() throws Exception {
        Method ship = Shipping.class.getMethod("ship", String.class);
        assertThatCode(() -> KeyExpressions.checkVariables("@DistributedLocked", ship, "#p0 + #a0 + #root.methodName",
                KeyExpressions.parse("@DistributedLocked", ship, "#p0 + #a0 + #root.methodName"), null))
            .doesNotThrowAnyException();
    }

    static class Shipping {

        public void ship(String orderId) {
        }
    }
}
