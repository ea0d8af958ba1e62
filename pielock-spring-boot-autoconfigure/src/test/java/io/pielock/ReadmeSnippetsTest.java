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

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Java snippet in the README (and in {@code docs/reactive.md}) compiles as pasted, imports included, against the library and Spring: each is
 * written to a file of its own, named after the class it declares, and compiled with {@code -parameters} on this
 * module's test class path.
 */
class ReadmeSnippetsTest {

    private static final Pattern SNIPPET = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

    private static final Pattern TOP_LEVEL_TYPE = Pattern.compile(
            "^(?:public\\s+)?(?:final\\s+)?(?:class|record|interface|enum)\\s+(\\w+)", Pattern.MULTILINE);

    @ParameterizedTest(name = "{0}")
    @CsvSource({ "README.md, 4", "docs/reactive.md, 3" })
    void everyJavaSnippetOfThePageCompilesAsPasted(String page, int atLeast, @TempDir Path sources,
            @TempDir Path classes) throws IOException {
        String readme = Files.readString(Path.of("..").resolve(page), StandardCharsets.UTF_8);
        List<Path> files = new ArrayList<>();
        Matcher snippet = SNIPPET.matcher(readme);
        int number = 0;
        while (snippet.find()) {
            number++;
            String code = snippet.group(1);
            Matcher type = TOP_LEVEL_TYPE.matcher(code);
            assertThat(type.find()).as("%s Java snippet %d declares a class, so it can be pasted and compiled:%n%s",
                    page, number, code).isTrue();
            Path file = sources.resolve(type.group(1) + ".java");
            assertThat(file).as("two %s snippets declare %s", page, type.group(1)).doesNotExist();
            Files.writeString(file, code, StandardCharsets.UTF_8);
            files.add(file);
        }
        assertThat(files).as("Java snippets found in %s", page).hasSizeGreaterThanOrEqualTo(atLeast);

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
            assertThat(compiled).as("%s snippets compile; errors:%n%s%s", page, errors, output).isTrue();
        }
    }
}
