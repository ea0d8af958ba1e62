package io.pielock.interceptor;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.expression.Expression;

import io.pielock.key.Keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Key expressions: what they need from a build (checked at startup, with the fix in the message), the variables
 * they may name, and which values serve as a key.
 */
class KeyExpressionsTest {

    private static final String SHIP = KeyExpressionsTest.class.getName() + "$Shipping.ship(String)";

    private final KeyExpressions keys = new KeyExpressions(null);

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

    @Test
    void aVariableThatIsNotAParameterFailsAtParseListingTheParameters() throws Exception {
        assertThatThrownBy(() -> KeyExpressions.parse("@DistributedLocked", ship(), "'order-' + #orderID"))
            .isInstanceOf(AnnotationConfigurationException.class)
            .hasMessageContaining("refers to #orderID, which is not a parameter of the method; its parameters are "
                    + "#orderId (or #p0");
        Method none = Shipping.class.getMethod("shipAll");
        assertThatThrownBy(() -> KeyExpressions.parse("@DistributedLocked", none, "#orderId"))
            .hasMessageContaining("its parameters are none");
    }

    @Test
    void parameterNamesAndPositionsWithinTheParameterCountParse() throws Exception {
        assertThatCode(() -> KeyExpressions.parse("@DistributedLocked", ship(), "#orderId + #p0 + #a0 + #root.args[0]"))
            .doesNotThrowAnyException();
        assertThatThrownBy(() -> KeyExpressions.parse("@DistributedLocked", ship(), "#orderId + #p1"))
            .isInstanceOf(AnnotationConfigurationException.class)
            .hasMessageContaining("refers to #p1, but the method has 1 parameter(s), numbered from 0");
        assertThatThrownBy(() -> KeyExpressions.parse("@DistributedLocked", ship(), "#a12345678901"))
            .hasMessageContaining("refers to #a12345678901, but the method has 1 parameter(s)");
        assertThatThrownBy(() -> KeyExpressions.parse("@DistributedLocked", ship(), "#p00"))
            .as("the evaluation context names parameters without leading zeros")
            .hasMessageContaining("refers to #p00, which is not a parameter of the method");
    }

    @Test
    void aKeyIsTheTextOfAStringNumberBooleanCharacterUuidOrAValueWithItsOwnToString() throws Exception {
        UUID id = UUID.fromString("7c8a2f39-0c5e-4c36-9a53-2c9bbb7d1a3e");
        assertThat(key("#p0", "order-7")).isEqualTo("order-7");
        assertThat(key("#p0", 42L)).isEqualTo("42");
        assertThat(key("#p0", true)).isEqualTo("true");
        assertThat(key("#p0", 'x')).isEqualTo("x");
        assertThat(key("#p0", id)).isEqualTo(id.toString());
        assertThat(key("#p0", new OrderId("A-1"))).isEqualTo("OrderId[value=A-1]");
    }

    @Test
    void anEnumKeyIsItsNameWhateverItsToString() throws Exception {
        assertThat(key("#p0", Region.EU)).isEqualTo("EU");
    }

    @Test
    void rootNamesTheMethodTargetAndArguments() throws Exception {
        assertThat(key("#root.methodName + ':' + #root.method.name + ':' + #root.targetClass.simpleName + ':'"
                + " + #root.target.class.simpleName + ':' + #root.args[0]", "o-1"))
            .isEqualTo("ship:ship:Shipping:Shipping:o-1");
    }

    @Test
    void beansAreReachableByNameWhenABeanFactoryIsGiven() throws Exception {
        StaticListableBeanFactory beans = new StaticListableBeanFactory(Map.of("tenant", "acme"));
        Expression expression = KeyExpressions.parse("@DistributedLocked", ship(), "@tenant + ':' + #p0");
        assertThat(new KeyExpressions(beans).evaluate(expression, "@tenant + ':' + #p0", ship(), new Shipping(),
                new Object[] { "o-1" }))
            .isEqualTo("acme:o-1");
        assertThatThrownBy(() -> this.keys.evaluate(expression, "@tenant + ':' + #p0", ship(), new Shipping(),
                new Object[] { "o-1" }))
            .as("without a bean factory a bean reference cannot resolve").isNotNull();
    }

    @Test
    void aKeyOfExactlyTheMaximumLengthIsAcceptedAndOneCharacterMoreIsRefused() throws Exception {
        String longest = "k".repeat(Keys.MAX_LENGTH);
        assertThat(key("#p0", longest)).isEqualTo(longest);
        assertThatIllegalArgumentException().isThrownBy(() -> key("#p0", longest + "k"))
            .withMessage("Key expression \"#p0\" of " + SHIP + " evaluated to 1025 characters, more than "
                    + "the 1024 a key may have; select an identifier such as #order.id");
    }

    @Test
    void valuesThatCannotServeAsAKeyAreRefusedNamingTheExpressionAndTheMethod() throws Exception {
        assertThatIllegalArgumentException().isThrownBy(() -> key("#p0", (Object) null))
            .withMessage("Key expression \"#p0\" of " + SHIP + " evaluated to null");
        assertThatIllegalArgumentException().isThrownBy(() -> key("#p0", " "))
            .withMessageEndingWith("evaluated to a blank string");
        assertThatIllegalArgumentException().isThrownBy(() -> key("#p0", new ArrayList<>(List.of("a", "b"))))
            .withMessageContaining("evaluated to a ArrayList; select one value, or join them explicitly");
        assertThatIllegalArgumentException().isThrownBy(() -> key("#p0", Map.of("a", "b")))
            .withMessageContaining("; select one value, or join them explicitly");
        assertThatIllegalArgumentException().isThrownBy(() -> key("#p0", (Object) new String[] { "a" }))
            .withMessageContaining("evaluated to a String[]; select one value");
        assertThatIllegalArgumentException().isThrownBy(() -> key("#p0", new Object()))
            .withMessageContaining("evaluated to a java.lang.Object, which does not override toString()");
    }

    @Test
    void aConditionIsABooleanAndAnythingElseIsRefused() throws Exception {
        Expression condition = KeyExpressions.parse("@DistributedLocked", ship(), "#p0 == 'now'");
        assertThat(this.keys.test(condition, "#p0 == 'now'", ship(), new Shipping(), new Object[] { "now" })).isTrue();
        assertThat(this.keys.test(condition, "#p0 == 'now'", ship(), new Shipping(), new Object[] { "later" }))
            .isFalse();
        Expression text = KeyExpressions.parse("@DistributedLocked", ship(), "#p0");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> this.keys.test(text, "#p0", ship(), new Shipping(), new Object[] { "yes" }))
            .withMessage("Condition \"#p0\" of " + SHIP + " evaluated to a java.lang.String, not a boolean");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> this.keys.test(text, "#p0", ship(), new Shipping(), new Object[] { null }))
            .withMessageEndingWith("evaluated to null, not a boolean");
    }

    private String key(String text, Object argument) throws Exception {
        Expression expression = KeyExpressions.parse("@DistributedLocked", ship(), text);
        return this.keys.evaluate(expression, text, ship(), new Shipping(), new Object[] { argument });
    }

    private static Method ship() throws NoSuchMethodException {
        return Shipping.class.getMethod("ship", String.class);
    }

    record OrderId(String value) {
    }

    enum Region {

        EU;

        @Override
        public String toString() {
            return "Europe";
        }
    }

    static class Shipping {

        public void ship(String orderId) {
        }

        public void shipAll() {
        }
    }
}
