package dev.ember.data.datasets;

import dev.ember.data.download.DataOptions;
import dev.ember.data.download.DatasetLocator;
import dev.ember.data.download.DatasetSpec;
import dev.ember.data.download.Tar;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Finds CIFAR binary files (an extracted folder, or the archive: found, or downloaded and verified, then
 * extracted once into its folder) and parses their records into an {@link ImageDataset}.
 */
final class CifarLoader {
    private CifarLoader() {
    }

    /**
     * @param labelIndex which label byte to use (0 for CIFAR-10; 0 coarse or 1 fine for CIFAR-100)
     * @param classes class names for that label
     */
    static ImageDataset load(DatasetSpec spec, CifarLayout layout, Split split, DataOptions options, int labelIndex,
                             List<String> classes, String name) {
        Map<String, byte[]> contents = new HashMap<>();
        List<String> wanted = layout.files(split);
        Path dir = findExtracted(spec, layout, options, wanted);
        if (dir == null) {
            Path archive = DatasetLocator.locate(spec, options).get(spec.files().getFirst().name());
            Path downloads = DatasetLocator.downloadDir(spec, options);
            if (archive.getParent() != null && archive.getParent().equals(downloads)) {
                extract(archive, layout, downloads);    // our own folder: extract once, read the files from then on
                dir = downloads.resolve(layout.dirName());
            } else {
                readFromArchive(archive, layout, wanted, contents);    // someone else's folder: read in place
            }
        }
        if (dir != null) {
            for (String f : wanted) {
                try {
                    contents.put(f, Files.readAllBytes(dir.resolve(f)));
                } catch (IOException e) {
                    throw new UncheckedIOException(dir.resolve(f) + ": cannot read: " + e.getMessage(), e);
                }
            }
        }
        return parse(layout, split, wanted, contents, dir, labelIndex, classes, name);
    }

    private static Path findExtracted(DatasetSpec spec, CifarLayout layout, DataOptions options, List<String> wanted) {
        for (Path place : DatasetLocator.searchPlaces(spec, options)) {
            for (Path dir : List.of(place.resolve(layout.dirName()), place)) {
                boolean all = true;
                for (String f : wanted) all &= Files.isRegularFile(dir.resolve(f));
                if (all) return dir;
            }
        }
        return null;
    }

    private static void readFromArchive(Path archive, CifarLayout layout, List<String> wanted, Map<String, byte[]> out) {
        try {
            Tar.read(archive, (entry, content) -> {
                String file = memberFile(entry.name(), layout);
                if (entry.isFile() && file != null && wanted.contains(file)) out.put(file, content.readAllBytes());
            });
        } catch (IOException e) {
            throw new UncheckedIOException(archive + ": cannot read the archive: " + e.getMessage(), e);
        }
        for (String f : wanted) {
            if (!out.containsKey(f)) {
                throw new UncheckedIOException(archive + ": the archive has no " + layout.dirName() + "/" + f
                        + " (not a CIFAR binary archive?)", new IOException("missing member"));
            }
        }
    }

    /** Extracts the layout's files (and only them: no path from the archive is trusted) into {@code dest/dirName}. */
    static void extract(Path archive, CifarLayout layout, Path dest) {
        Path dir = dest.resolve(layout.dirName());
        Set<String> members = new HashSet<>(layout.trainFiles());
        members.add(layout.testFile());
        Set<String> done = new HashSet<>();
        try {
            Files.createDirectories(dir);
            Tar.read(archive, (entry, content) -> {
                String file = memberFile(entry.name(), layout);
                if (!entry.isFile() || file == null || !members.contains(file)) return;
                Path part = dir.resolve(file + ".part");
                try (OutputStream o = Files.newOutputStream(part)) {
                    content.transferTo(o);
                }
                Files.move(part, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                done.add(file);
            });
        } catch (IOException e) {
            throw new UncheckedIOException(archive + ": cannot extract: " + e.getMessage(), e);
        }
        members.removeAll(done);
        if (!members.isEmpty()) {
            throw new UncheckedIOException(archive + ": the archive lacks " + members + " under " + layout.dirName()
                    + " (not a CIFAR binary archive?)", new IOException("missing members"));
        }
    }

    /** The file name of a member inside the layout's folder, or null for anything else. */
    private static String memberFile(String entryName, CifarLayout layout) {
        String prefix = layout.dirName() + "/";
        String n = entryName.startsWith("./") ? entryName.substring(2) : entryName;
        if (!n.startsWith(prefix)) return null;
        String f = n.substring(prefix.length());
        return f.isEmpty() || f.contains("/") ? null : f;
    }

    private static ImageDataset parse(CifarLayout layout, Split split, List<String> files, Map<String, byte[]> contents,
                                      Path dir, int labelIndex, List<String> classes, String name) {
        int per = layout.recordsPerFile(split), rec = layout.recordBytes(), img = CifarLayout.IMAGE_BYTES;
        int n = per * files.size();
        byte[] pixels = new byte[n * img];
        int[] labels = new int[n];
        int at = 0;
        for (String f : files) {
            byte[] b = contents.get(f);
            String where = dir != null ? dir.resolve(f).toString() : layout.dirName() + "/" + f;
            if (b.length != (long) per * rec) {
                String what = b.length % rec != 0 ? "truncated or not a CIFAR file: " + b.length + " bytes is not a whole number of "
                        + rec + "-byte records" : "wrong length: " + (b.length / rec) + " records";
                throw new UncheckedIOException(where + ": " + what + "; expected " + per + " records (" + ((long) per * rec)
                        + " bytes)", new IOException("bad length"));
            }
            for (int r = 0; r < per; r++, at++) {
                int base = r * rec;
                int label = b[base + labelIndex] & 0xff;
                if (label >= classes.size()) {
                    throw new UncheckedIOException(where + ": record " + r + " has label " + label + ", outside 0.." + (classes.size() - 1)
                            + " (corrupt, or not a " + name + " file?)", new IOException("bad label"));
                }
                labels[at] = label;
                // CHW planes (1024 R, 1024 G, 1024 B) to HWC.
                int src = base + layout.labelBytes(), dst = at * img;
                for (int p = 0; p < 1024; p++) {
                    pixels[dst + 3 * p] = b[src + p];
                    pixels[dst + 3 * p + 1] = b[src + 1024 + p];
                    pixels[dst + 3 * p + 2] = b[src + 2048 + p];
                }
            }
        }
        return ImageDataset.of(name + "/" + split.name().toLowerCase(Locale.ROOT), pixels, labels, 32, 32, 3, classes);
    }

}
