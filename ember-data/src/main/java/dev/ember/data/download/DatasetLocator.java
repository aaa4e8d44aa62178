package dev.ember.data.download;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Finds a dataset's files, downloading them when needed. Each file is looked for, in order, in the
 * user's root (and its {@link DatasetSpec#rootSubdirs}), the cache folder {@code <cache>/<name>}, and
 * the system folders; a file may be there as published ({@code x.gz}) or decompressed ({@code x}).
 * Missing files are then downloaded (see {@link Downloader}) into {@code <root>/<name>} when a root was
 * given, else into the cache. When that is impossible the error lists every place searched and the ways
 * to provide the data.
 */
public final class DatasetLocator {
    private DatasetLocator() {
    }

    /** Where each of the spec's files is (file name to path; the path may be the decompressed variant). */
    public static Map<String, Path> locate(DatasetSpec spec, DataOptions options) {
        List<Path> places = searchPlaces(spec, options);
        Map<String, Path> found = new LinkedHashMap<>();
        List<RemoteFile> missing = new ArrayList<>();
        for (RemoteFile f : spec.files()) {
            Path p = find(f, places);
            if (p != null) found.put(f.name(), p);
            else missing.add(f);
        }
        if (missing.isEmpty()) return found;
        String downloadProblem;
        if (!options.download()) {
            downloadProblem = "downloads are off (EMBER_OFFLINE or --offline)";
        } else if (spec.mirrors().isEmpty()) {
            downloadProblem = "no download mirror is known";
        } else {
            Path dir = downloadDir(spec, options);
            try (Downloader d = new Downloader(options)) {
                for (RemoteFile f : missing) found.put(f.name(), d.fetch(f, spec.mirrors(), dir));
                return found;
            } catch (IOException e) {
                downloadProblem = e.getMessage();
            }
        }
        throw notFound(spec, options, places, missing, downloadProblem);
    }

    /** The folder downloads of {@code spec} go to. */
    public static Path downloadDir(DatasetSpec spec, DataOptions options) {
        return options.root() != null ? options.root().resolve(spec.name()) : options.cacheDir().resolve(spec.name());
    }

    /** The folders searched, in order. */
    public static List<Path> searchPlaces(DatasetSpec spec, DataOptions options) {
        LinkedHashSet<Path> places = new LinkedHashSet<>();
        if (options.root() != null) {
            places.add(options.root());
            places.add(options.root().resolve(spec.name()));
            for (String sub : spec.rootSubdirs()) places.add(options.root().resolve(sub));
        }
        places.add(options.cacheDir().resolve(spec.name()));
        places.addAll(spec.systemDirs());
        return new ArrayList<>(places);
    }

    private static Path find(RemoteFile f, List<Path> places) {
        for (Path dir : places) {
            for (String name : List.of(f.name(), f.uncompressedName())) {
                Path p = dir.resolve(name);
                if (Files.isRegularFile(p)) return p;
            }
        }
        return null;
    }

    private static UncheckedIOException notFound(DatasetSpec spec, DataOptions options, List<Path> places,
                                                 List<RemoteFile> missing, String downloadProblem) {
        StringBuilder sb = new StringBuilder();
        sb.append(spec.name()).append(": dataset not found: missing ")
                .append(String.join(", ", missing.stream().map(RemoteFile::name).toList())).append(".\nLooked in:");
        for (Path p : places) {
            sb.append("\n  ").append(p);
            if (options.root() != null && p.startsWith(options.root())) sb.append("  (--data / root)");
            else if (p.startsWith(options.cacheDir())) sb.append("  (cache; set EMBER_DATA to move it)");
            else sb.append("  (system dataset folder)");
        }
        sb.append("\nDownload: ").append(downloadProblem.replace("\n", "\n  "));
        sb.append("\nWays to provide the data:");
        for (String h : spec.howToGet()) sb.append("\n  - ").append(h);
        if (!spec.mirrors().isEmpty()) {
            sb.append("\n  - download ").append(String.join(", ", missing.stream().map(RemoteFile::name).toList()))
                    .append(" from ").append(spec.mirrors().getFirst()).append(" into ").append(downloadDir(spec, options));
        }
        sb.append("\n  - pass --data DIR (or DataOptions.withRoot) naming a folder that holds the files");
        return new UncheckedIOException(sb.toString(), new FileNotFoundException(spec.name()));
    }
}
