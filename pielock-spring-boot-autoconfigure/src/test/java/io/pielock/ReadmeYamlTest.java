package io.pielock;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;

import io.pielock.autoconfigure.PielockAutoConfiguration;
import io.pielock.web.HttpRateLimitRules;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's YAML examples are YAML as pasted (Spring Boot reads them), and its HTTP rules example is a valid
 * configuration: an application started with it has every rule.
 */
class ReadmeYamlTest {

    private static final Pattern SNIPPET = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

    @Test
    void everyYamlSnippetLoadsAsSpringBootWouldLoadIt() throws IOException {
        List<String> snippets = snippets(readme());
        assertThat(snippets).hasSizeGreaterThanOrEqualTo(5);
        for (int i = 0; i < snippets.size(); i++) {
            assertThat(load(snippets.get(i)).getSource()).as("README yaml snippet %d:%n%s", i + 1, snippets.get(i))
                .isNotNull();
        }
    }

    @Test
    void theHttpRulesExampleStartsAnApplicationWithEveryRule() throws IOException {
        String readme = readme();
        String section = readme.substring(readme.indexOf("### HTTP rules without code"));
        String example = snippets(section).get(0);
        PropertySource<?> properties = load(example);
        new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WebMvcAutoConfiguration.class, PielockAutoConfiguration.class))
            .withPropertyValues("pielock.store=memory")
            .withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(properties))
            .run(context -> {
                assertThat(context).hasNotFailed();
                HttpRateLimitRules rules = context.getBean(HttpRateLimitRules.class);
                assertThat(rules.rules()).hasSize(4);
                assertThat(rules.rules().get(3).cost().text()).isEqualTo("#request.getHeader('X-Batch-Size')");
            });
    }

    private static String readme() throws IOException {
        return Files.readString(Path.of("..").resolve("README.md"), StandardCharsets.UTF_8);
    }

    private static List<String> snippets(String text) {
        List<String> found = new ArrayList<>();
        Matcher snippet = SNIPPET.matcher(text);
        while (snippet.find()) {
            found.add(snippet.group(1));
        }
        return found;
    }

    private static PropertySource<?> load(String yaml) throws IOException {
        List<PropertySource<?>> loaded = new YamlPropertySourceLoader().load("README",
                new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8)));
        assertThat(loaded).as("one document:%n%s", yaml).hasSize(1);
        return loaded.get(0);
    }
}
