package org.gpt4j.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.gpt4j.train.RunDirectory;

/**
 * {@code train --data} entries that name a file on a cluster's file system ({@code hdfs://},
 * {@code s3a://}, {@code file://}, ...) rather than a local path: the driver copies each into the
 * run directory's {@code data/} through the cluster's own file systems ({@link ClusterTraining#fetch}),
 * and training goes on from those copies as from local files. The copies stay with the run, so
 * {@code --resume} without {@code --data} reads them again, and they record what the run learnt
 * from. A copy is never replaced: fetching a URI again must give the same bytes.
 */
final class RemoteData {

    /** The run directory's folder for fetched corpus files. */
    static final String FOLDER = "data";

    private static final Pattern URI_SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*");

    private RemoteData() {
    }

    static boolean isUri(String arg) {
        return URI_SCHEME.matcher(arg).matches();
    }

    /**
     * The local files for {@code args}: a path as it is, a URI fetched into {@code dir/data/}.
     *
     * @param cluster  the cluster's file systems, or null without {@code --spark}
     * @param newRun   true for a run that must not exist yet: checked before anything is fetched into it
     * @param notes    told of each fetched file ("URI fetched to PATH (N bytes)")
     */
    static List<Path> resolve(List<String> args, ClusterTraining cluster, Path dir, boolean newRun,
            Consumer<String> notes) throws IOException {
        if (newRun && args.stream().anyMatch(RemoteData::isUri)) {
            RunDirectory.requireFresh(dir);
        }
        boolean fresh = !Files.exists(dir);
        boolean freshFolder = !Files.exists(dir.resolve(FOLDER));
        try {
            return fetchAll(args, cluster, dir, notes);
        } catch (IOException | RuntimeException e) {
            // a failed fetch leaves no folder behind that it made
            if (freshFolder) {
                deleteIfEmpty(dir.resolve(FOLDER));
            }
            if (fresh) {
                deleteIfEmpty(dir);
            }
            throw e;
        }
    }

    private static void deleteIfEmpty(Path d) throws IOException {
        if (Files.isDirectory(d)) {
            try (var entries = Files.list(d)) {
                if (entries.findAny().isEmpty()) {
                    Files.delete(d);
                }
            }
        }
    }

    private static List<Path> fetchAll(List<String> args, ClusterTraining cluster, Path dir, Consumer<String> notes)
            throws IOException {
        List<Path> out = new ArrayList<>(args.size());
        Set<String> names = new HashSet<>();
        for (String arg : args) {
            if (!isUri(arg)) {
                out.add(Path.of(arg));
                continue;
            }
            URI uri = parse(arg);
            if (cluster == null) {
                throw new IllegalArgumentException("--data " + arg + " is read through Spark's file systems: add --spark"
                        + " MASTER, or copy the file to this machine and give its path");
            }
            Path copy = fetch(cluster, uri, dir.resolve(FOLDER).resolve(uniqueName(uri, names)));
            notes.accept(String.format(Locale.ROOT, "%s fetched to %s (%,d bytes)", arg, copy, Files.size(copy)));
            out.add(copy);
        }
        return out;
    }

    private static URI parse(String arg) {
        try {
            URI uri = new URI(arg);
            if (uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().endsWith("/")) {
                throw new IllegalArgumentException("--data " + arg + " names no file (a URI ending in a file name,"
                        + " e.g. hdfs://namenode:8020/corpus/books.txt)");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--data " + arg + " is not a valid URI: " + e.getReason());
        }
    }

    /** The URI's file name, numbered when two URIs share one. */
    private static String uniqueName(URI uri, Set<String> taken) {
        String path = uri.getPath();
        String name = path.substring(path.lastIndexOf('/') + 1);
        String unique = name;
        for (int i = 2; !taken.add(unique.toLowerCase(Locale.ROOT)); i++) {
            unique = i + "-" + name;
        }
        return unique;
    }

    /** Fetches to a temporary file beside the target, then moves it in; an existing copy must match. */
    private static Path fetch(ClusterTraining cluster, URI uri, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
        try {
            cluster.fetch(uri, tmp);
            if (Files.exists(target)) {
                if (Files.mismatch(tmp, target) != -1) {
                    throw new IllegalArgumentException("--data " + uri + " is not the file this run fetched before ("
                            + target + "): leave --data out to go on with that copy, or start a new run");
                }
                return target;
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
