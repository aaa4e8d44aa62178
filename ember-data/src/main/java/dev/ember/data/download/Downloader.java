package dev.ember.data.download;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Downloads a {@link RemoteFile} from the first mirror that has it: into {@code name.part} (resuming a
 * previous partial download with an HTTP range request), verified against the published MD5, then
 * renamed to {@code name} only when complete and correct. Transient failures (5xx, dropped
 * connections, short bodies, checksum mismatches) are retried with exponential backoff; a missing file
 * (4xx) moves on to the next mirror at once; an unknown host (offline) gives up on that mirror at once.
 */
public final class Downloader implements AutoCloseable {
    private final DataOptions options;
    private final HttpClient client;

    /** A downloader with the given retry, timeout and progress options. */
    public Downloader(DataOptions options) {
        this.options = options;
        this.client = HttpClient.newBuilder().connectTimeout(options.timeout())
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** Releases the HTTP client. */
    @Override
    public void close() {
        client.close();
    }

    /**
     * Fetches {@code file} into {@code dir} from {@code mirrors} (tried in order) and returns its path.
     *
     * @throws IOException naming every mirror tried and why it failed
     */
    public Path fetch(RemoteFile file, List<String> mirrors, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(file.name());
        List<String> failures = new ArrayList<>();
        for (String mirror : mirrors) {
            String url = mirror + file.name();
            try {
                downloadWithRetries(url, file, target);
                return target;
            } catch (IOException e) {
                failures.add(url + ": " + describe(e));
            }
        }
        throw new IOException("could not download " + file.name() + (mirrors.isEmpty() ? " (no mirrors)" : "")
                + String.join("", failures.stream().map(f -> "\n    " + f).toList()));
    }

    private void downloadWithRetries(String url, RemoteFile file, Path target) throws IOException {
        Path part = target.resolveSibling(target.getFileName() + ".part");
        IOException last = null;
        for (int attempt = 1; attempt <= options.attempts(); attempt++) {
            if (attempt > 1) sleep(options.backoff().toMillis() << (attempt - 2));
            try {
                transfer(url, file, part);
                verify(file, part);
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return;
            } catch (ChecksumMismatch e) {
                Files.deleteIfExists(part);   // a complete but wrong file: start afresh
                last = e;
            } catch (PermanentFailure | UnknownHostException | ConnectException e) {
                throw e;
            } catch (IOException e) {
                last = e;                      // keep the .part: the next try resumes it
            }
        }
        throw last;
    }

    private void transfer(String url, RemoteFile file, Path part) throws IOException {
        long have = Files.exists(part) ? Files.size(part) : 0;
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url)).timeout(options.timeout()).GET();
        if (have > 0) req.header("Range", "bytes=" + have + "-");
        HttpResponse<InputStream> resp;
        try {
            resp = client.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("download of " + url + " interrupted");
        }
        int status = resp.statusCode();
        boolean append = status == 206;
        if (status == 416) {       // our partial file is no prefix of theirs: start again
            resp.body().close();
            Files.deleteIfExists(part);
            throw new IOException("HTTP 416 for a resumed download; restarting");
        }
        if (status != 200 && status != 206) {
            resp.body().close();
            String msg = "HTTP " + status;
            if (status >= 400 && status < 500) throw new PermanentFailure(msg);
            throw new IOException(msg);
        }
        long start = append ? have : 0;
        long length = resp.headers().firstValueAsLong("Content-Length").orElse(-1);
        long total = length >= 0 ? start + length : file.size();
        options.progress().start(file.name(), total);
        long done = start;
        try (InputStream in = resp.body();
             OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
                done += n;
                options.progress().update(done);
            }
        } finally {
            options.progress().finish();
        }
        if (length >= 0 && done != start + length) {
            throw new IOException("connection closed after " + done + " of " + (start + length) + " bytes");
        }
    }

    private static void verify(RemoteFile file, Path part) throws IOException {
        if (file.md5() == null) return;
        String actual = Checksums.md5(part);
        if (!actual.equalsIgnoreCase(file.md5())) {
            throw new ChecksumMismatch("MD5 mismatch: expected " + file.md5() + ", got " + actual + " (" + Files.size(part) + " bytes)");
        }
    }

    private static void sleep(long millis) throws InterruptedIOException {
        if (millis <= 0) return;
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("download interrupted");
        }
    }

    private static String describe(IOException e) {
        if (e instanceof UnknownHostException) return "unknown host " + e.getMessage() + " (offline?)";
        if (e instanceof ConnectException) {
            return "cannot connect (" + (e.getMessage() != null ? e.getMessage() : "offline, or the host is blocked?") + ")";
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** A failure that retrying the same mirror cannot fix (e.g. 404). */
    private static final class PermanentFailure extends IOException {
        PermanentFailure(String message) {
            super(message);
        }
    }

    /** The download completed but its MD5 is wrong. */
    private static final class ChecksumMismatch extends IOException {
        ChecksumMismatch(String message) {
            super(message);
        }
    }
}
