package org.gpt4j.io;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.TreeSet;

/**
 * Model names: {@code --model en-base} means the shipped model {@code models/en-base/}. A value
 * that is an existing file or directory, or that holds a path separator, is a path and is used as
 * given (so a directory always wins over a name). A bare name that is not there resolves to the
 * first {@code <root>/<name>} directory, the roots being {@code models/} of the gpt4j installation
 * (the system property {@value #HOME_PROPERTY}, which the {@code gpt4j} launcher sets to the
 * repository it lives in) and then {@code ./models} of the working directory.
 */
public final class ModelNames {

    /** The system property naming the gpt4j installation (the repository root). */
    public static final String HOME_PROPERTY = "gpt4j.home";

    /** The folder of named models, under the installation and under the working directory. */
    public static final String MODELS = "models";

    private final List<Path> roots;

    /** Names resolve under these {@code models/} folders, in order. */
    public ModelNames(List<Path> roots) {
        LinkedHashSet<Path> distinct = new LinkedHashSet<>();
        for (Path r : roots) {
            distinct.add(r.toAbsolutePath().normalize());
        }
        this.roots = List.copyOf(distinct);
    }

    /** The installation's {@code models/} (when {@value #HOME_PROPERTY} is set), then {@code ./models}. */
    public static ModelNames fromEnvironment() {
        return forWorkingDirectory(Path.of(""));
    }

    /** The installation's {@code models/} (when {@value #HOME_PROPERTY} is set), then {@code workingDirectory/models}. */
    public static ModelNames forWorkingDirectory(Path workingDirectory) {
        List<Path> roots = new ArrayList<>();
        String home = System.getProperty(HOME_PROPERTY);
        if (home != null && !home.isBlank()) {
            roots.add(Path.of(home).resolve(MODELS));
        }
        roots.add(workingDirectory.resolve(MODELS));
        return new ModelNames(roots);
    }

    /** {@link #resolve(Path)} with {@link #fromEnvironment()}; null stays null (an optional --model). */
    public static Path resolveFromEnvironment(Path given) throws IOException {
        return given == null ? null : fromEnvironment().resolve(given);
    }

    public List<Path> roots() {
        return roots;
    }

    /**
     * The directory a {@code --model} value means.
     *
     * @throws ModelFormatException for a bare name that is neither here nor under any root: the
     *     message lists the named models there are (or says there are none yet)
     */
    public Path resolve(Path given) throws IOException {
        if (Files.exists(given) || !isBareName(given)) {
            return given;
        }
        String name = given.toString();
        for (Path root : roots) {
            Path dir = root.resolve(name);
            if (Files.isDirectory(dir)) {
                return dir;
            }
        }
        List<String> known = available();
        String where = roots.size() == 1 ? roots.get(0).toString() : "any of " + roots;
        throw new ModelFormatException(given, known.isEmpty()
                ? "no such model directory, and no model of that name: there are no named models yet (no " + MODELS
                        + "/<name>/ with a config.json under " + where + "); give a model directory such as runs/NAME/best,"
                        + " or put one in " + roots.get(0).resolve(name)
                : "no such model directory, and no model of that name under " + where + "; the named models are "
                        + String.join(", ", known));
    }

    /** The names of the models under the roots: sub-directories that hold a config.json, sorted. */
    public List<String> available() throws IOException {
        TreeSet<String> names = new TreeSet<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (DirectoryStream<Path> s = Files.newDirectoryStream(root)) {
                for (Path p : s) {
                    if (Files.isRegularFile(p.resolve(ModelDirectory.CONFIG))) {
                        names.add(p.getFileName().toString());
                    }
                }
            }
        }
        return List.copyOf(names);
    }

    /** One name, no separators, not absolute, not {@code .} or {@code ..}. */
    private static boolean isBareName(Path p) {
        String s = p.toString();
        return !p.isAbsolute() && p.getNameCount() == 1 && !s.isEmpty() && !s.equals(".") && !s.equals("..")
                && s.indexOf('/') < 0 && s.indexOf('\\') < 0;
    }
}
