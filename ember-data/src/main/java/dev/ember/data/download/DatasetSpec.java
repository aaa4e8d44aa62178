package dev.ember.data.download;

import java.nio.file.Path;
import java.util.List;

/**
 * Where a dataset's files come from and how to check them: a value, so tests and users can point a
 * dataset at other mirrors (a local server, an internal proxy) without touching the loading code.
 *
 * @param name cache folder name and the name used in messages, e.g. {@code fashion-mnist}
 * @param mirrors base URLs tried in order (each ends with '/'; the file name is appended)
 * @param files the published files
 * @param systemDirs folders where a system package installs the files (e.g. Debian's
 *                   {@code /usr/share/datasets/fashion-mnist})
 * @param rootSubdirs sub-folders of a user-given root that may hold the files besides the root itself
 *                    (e.g. torchvision's {@code FashionMNIST/raw})
 * @param howToGet extra lines for the not-found message (e.g. the package to install)
 */
public record DatasetSpec(String name, List<String> mirrors, List<RemoteFile> files, List<Path> systemDirs,
                          List<String> rootSubdirs, List<String> howToGet) {
    public DatasetSpec {
        mirrors = List.copyOf(mirrors);
        files = List.copyOf(files);
        systemDirs = List.copyOf(systemDirs);
        rootSubdirs = List.copyOf(rootSubdirs);
        howToGet = List.copyOf(howToGet);
        for (String m : mirrors) {
            if (!m.endsWith("/")) throw new IllegalArgumentException("DatasetSpec " + name + ": mirror must end with '/', got " + m);
        }
    }

    /** The same spec fetching from other mirrors. */
    public DatasetSpec withMirrors(List<String> mirrors) {
        return new DatasetSpec(name, mirrors, files, systemDirs, rootSubdirs, howToGet);
    }

    /** The same spec with other system folders (none: {@code List.of()}). */
    public DatasetSpec withSystemDirs(List<Path> dirs) {
        return new DatasetSpec(name, mirrors, files, dirs, rootSubdirs, howToGet);
    }

    /** The file called {@code name}. */
    public RemoteFile file(String fileName) {
        for (RemoteFile f : files) if (f.name().equals(fileName)) return f;
        throw new IllegalArgumentException("DatasetSpec " + name + ": no file " + fileName);
    }
}
