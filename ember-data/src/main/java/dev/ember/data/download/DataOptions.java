package dev.ember.data.download;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where datasets are looked for and how they are downloaded.
 *
 * <p>Search order: {@code root} (if given: {@code --data DIR}), the cache ({@code $EMBER_DATA}, default
 * {@code ~/.ember/datasets}), the system dataset folders, then a download from the official mirrors into
 * the root (if given) or the cache. {@code EMBER_OFFLINE=1} turns downloads off.
 *
 * @param root a folder the user named, or null
 * @param cacheDir the download cache
 * @param download whether missing files may be downloaded
 * @param progress download progress output
 * @param attempts tries per mirror for transient failures (>= 1)
 * @param backoff wait before the second try, doubled for each further one
 * @param timeout connect and first-byte timeout of each request
 */
public record DataOptions(Path root, Path cacheDir, boolean download, ProgressReporter progress, int attempts,
                          Duration backoff, Duration timeout) {
    public DataOptions {
        if (cacheDir == null) throw new IllegalArgumentException("DataOptions: cacheDir must not be null");
        if (attempts < 1) throw new IllegalArgumentException("DataOptions: attempts must be >= 1, got " + attempts);
        if (progress == null) progress = ProgressReporter.silent();
    }

    /** Defaults from the environment: no root, {@code $EMBER_DATA} or {@code ~/.ember/datasets}, downloads on unless {@code EMBER_OFFLINE=1}. */
    public static DataOptions defaults() {
        String env = System.getenv("EMBER_DATA");
        Path cache = env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".ember", "datasets");
        boolean offline = "1".equals(System.getenv("EMBER_OFFLINE")) || "true".equalsIgnoreCase(System.getenv("EMBER_OFFLINE"));
        return new DataOptions(null, cache, !offline, ProgressReporter.console(), 3, Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    /** These options with a user-given root folder searched first (null for none). */
    public DataOptions withRoot(Path root) {
        return new DataOptions(root, cacheDir, download, progress, attempts, backoff, timeout);
    }

    /** These options with another cache folder. */
    public DataOptions withCacheDir(Path dir) {
        return new DataOptions(root, dir, download, progress, attempts, backoff, timeout);
    }

    /** These options with downloads on or off. */
    public DataOptions withDownload(boolean allowed) {
        return new DataOptions(root, cacheDir, allowed, progress, attempts, backoff, timeout);
    }

    /** These options with another progress reporter. */
    public DataOptions withProgress(ProgressReporter reporter) {
        return new DataOptions(root, cacheDir, download, reporter, attempts, backoff, timeout);
    }

    /** These options with another retry policy. */
    public DataOptions withRetries(int attemptsPerMirror, Duration firstBackoff) {
        return new DataOptions(root, cacheDir, download, progress, attemptsPerMirror, firstBackoff, timeout);
    }
}
