package org.gpt4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * gpt4j-core's module descriptor: every package is the library's surface except the internal
 * ones, so a new package cannot be forgotten (unexported) or an internal one leak.
 */
class ModuleDescriptorTest {

    private static final Set<String> INTERNAL = Set.of("org.gpt4j.tensor", "org.gpt4j.perf");

    @Test
    void everyPackageButTheKernelsIsExportedToEveryone() throws Exception {
        ModuleDescriptor d;
        // Beside the classes (the class path also holds other jars' descriptors).
        Path classes = Path.of(Gpt4j.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<String> packages = new TreeSet<>();
        try (Stream<Path> files = Files.walk(classes)) {
            files.filter(f -> f.toString().endsWith(".class") && !f.getParent().equals(classes))
                    .forEach(f -> packages.add(classes.relativize(f.getParent()).toString().replace('/', '.')));
        }
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            d = ModuleDescriptor.read(in, () -> packages);
        }
        assertThat(d.name()).isEqualTo("org.gpt4j.core");
        Set<String> exported = new TreeSet<>();
        for (ModuleDescriptor.Exports e : d.exports()) {
            assertThat(e.isQualified()).as(e.source()).isFalse();
            exported.add(e.source());
        }
        Set<String> expected = new TreeSet<>(d.packages());
        expected.removeAll(INTERNAL);
        assertThat(exported).isEqualTo(expected);
        assertThat(d.packages()).containsAll(INTERNAL);
        assertThat(d.requires()).anyMatch(r -> r.name().equals("jdk.incubator.vector"));
    }
}
