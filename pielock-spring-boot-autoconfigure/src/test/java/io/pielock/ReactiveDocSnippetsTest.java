package io.pielock;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Java snippet of {@code docs/reactive.md} compiles as pasted, as {@link ReadmeSnippetsTest} checks
 * the README's (the page is meant to be merged into it).
 */
class ReactiveDocSnippetsTest {

    private static final Pattern SNIPPET = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

    private static final Pattern TOP_LEVEL_TYPE = Pattern.compile(
            "^(?:public\\s+)?(?:final\\s+)?(?:class|record|interface|enum)\\s+(\\w+)", Pattern.MULTILINE);

    @Test
    void everyJavaSnippetCompilesAsPasted(@TempDir Path sources, @TempDir Path classes) throws IOException {
        String page = Files.readString(Path.of("..", "docs", "reactive.md"), StandardCharsets.UTF_8);
        List<Path> files = new ArrayList<>();
        Matcher snippet = SNIPPET.matcher(page);
        while (snippet.find()) {
            Matcher type = TOP_LEVEL_TYPE.matcher(snippet.group(1));
            assertThat(type.find()).isTrue();
            Path file = sources.resolve(type.group(1) + ".java");
            Files.writeString(file, snippet.group(1), StandardCharsets.UTF_8);
            files.add(file);
        }
        assertThat(files).hasSize(3);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fileManager = compiler.getStandardFileManager(diagnostics, null,
                StandardCharsets.UTF_8)) {
            List<String> options = List.of("-parameters", "-proc:none", "-d", classes.toString(), "-classpath",
                    System.getProperty("java.class.path"));
            StringWriter output = new StringWriter();
            boolean compiled = compiler.getTask(output, fileManager, diagnostics, options, null,
                    fileManager.getJavaFileObjectsFromPaths(files)).call();
            StringBuilder errors = new StringBuilder();
            for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics()) {
                if (diagnostic.getKind() == Diagnostic.Kind.ERROR) {
                    errors.append(diagnostic.getSource().getName()).append(':').append(diagnostic.getLineNumber())
                        .append(": ").append(diagnostic.getMessage(null)).append('\n');
                }
            }
            assertThat(compiled).as("snippets compile; errors:%n%s%s", errors, output).isTrue();
        }
    }
}
