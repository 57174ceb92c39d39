package org.gpt4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --model en-base}: a bare name resolves under models/; a path, or a directory that exists, is used as given. */
class ModelNamesTest {

    @TempDir
    Path tmp;

    private Path model(Path root, String name) throws IOException {
        Path d = Files.createDirectories(root.resolve(name));
        Files.writeString(d.resolve(ModelDirectory.CONFIG), "{}");
        return d;
    }

    @Test
    void aNameResolvesUnderTheFirstRootThatHasIt() throws IOException {
        Path home = tmp.resolve("home/models");
        Path local = tmp.resolve("work/models");
        model(home, "en-base");
        model(local, "en-base");
        model(local, "zh-base");
        ModelNames names = new ModelNames(List.of(home, local));
        assertThat(names.resolve(Path.of("en-base"))).isEqualTo(home.resolve("en-base").toAbsolutePath());
        assertThat(names.resolve(Path.of("zh-base"))).isEqualTo(local.resolve("zh-base").toAbsolutePath());
        assertThat(names.available()).containsExactly("en-base", "zh-base");
    }

    @Test
    void aDirectoryThatExistsOrAPathWinsOverAName() throws IOException {
        Path root = tmp.resolve("models");
        model(root, "target");
        ModelNames names = new ModelNames(List.of(root));
        // Maven runs the tests in the module directory, where target/ exists: the directory wins.
        assertThat(Path.of("target")).isDirectory();
        assertThat(names.resolve(Path.of("target"))).isEqualTo(Path.of("target"));
        // A value with a separator is a path, even when nothing is there (the loader reports that).
        assertThat(names.resolve(Path.of("runs/en-base"))).isEqualTo(Path.of("runs/en-base"));
        assertThat(names.resolve(tmp.resolve("absent"))).isEqualTo(tmp.resolve("absent"));
    }

    @Test
    void anUnknownNameListsTheModelsThereAre() throws IOException {
        Path root = tmp.resolve("models");
        model(root, "en-base");
        model(root, "tiny");
        Files.createDirectories(root.resolve("not-a-model"));
        ModelNames names = new ModelNames(List.of(root));
        assertThatThrownBy(() -> names.resolve(Path.of("en-large"))).isInstanceOf(ModelFormatException.class)
                .hasMessage("en-large: no such model directory, and no model of that name under " + root.toAbsolutePath()
                        + "; the named models are en-base, tiny");
    }

    @Test
    void withoutAnyModelsYetTheErrorSaysWhatToDo() {
        ModelNames names = new ModelNames(List.of(tmp.resolve("models")));
        assertThatThrownBy(() -> names.resolve(Path.of("en-base")))
                .hasMessageStartingWith("en-base: no such model directory, and no model of that name: there are no named models yet")
                .hasMessageContaining("runs/NAME/best").hasMessageContaining(tmp.resolve("models/en-base").toString());
    }

    @Test
    void theLauncherPropertyPutsTheInstallationFirst() throws IOException {
        model(tmp.resolve("models"), "en-base");
        String old = System.getProperty(ModelNames.HOME_PROPERTY);
        try {
            System.setProperty(ModelNames.HOME_PROPERTY, tmp.toString());
            assertThat(ModelNames.resolveFromEnvironment(Path.of("en-base"))).isEqualTo(tmp.resolve("models/en-base").toAbsolutePath());
            assertThat(ModelNames.fromEnvironment().roots()).containsExactly(tmp.resolve("models").toAbsolutePath(),
                    Path.of("models").toAbsolutePath());
            assertThat(ModelNames.resolveFromEnvironment(null)).isNull();
        } finally {
            if (old == null) {
                System.clearProperty(ModelNames.HOME_PROPERTY);
            } else {
                System.setProperty(ModelNames.HOME_PROPERTY, old);
            }
        }
    }
}
