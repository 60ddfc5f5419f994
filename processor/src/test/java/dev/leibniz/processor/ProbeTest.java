package dev.leibniz.processor;

import com.google.testing.compile.Compilation;
import dev.leibniz.processor.testing.Compiled;
import java.nio.file.*;
import java.util.*;
import org.junit.jupiter.api.Test;

class ProbeTest {
    @Test
    void probe() throws Exception {
        Path dir = Paths.get("/tmp/probe/cases");
        try (var files = Files.list(dir)) {
            for (Path p : files.sorted().toList()) {
                String src = Files.readString(p);
                List<String> pairs = new ArrayList<>();
                for (String part : src.split("//// ")) {
                    if (part.isBlank()) continue;
                    int nl = part.indexOf('\n');
                    pairs.add(part.substring(0, nl).trim());
                    pairs.add(part.substring(nl + 1));
                }
                Compilation c = Compiled.compiler().compile(Compiled.sources(pairs.toArray(String[]::new)));
                System.out.println("=== " + p.getFileName() + " " + c.status());
                c.diagnostics().forEach(d -> System.out.println("  " + d.getKind() + " " + d.getLineNumber() + ":" + d.getColumnNumber() + " " + d.getMessage(null)));
            }
        }
    }
}
