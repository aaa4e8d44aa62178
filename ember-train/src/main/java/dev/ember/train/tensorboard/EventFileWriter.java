package dev.ember.train.tensorboard;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One {@code events.out.tfevents.<unix seconds>.<hostname>} file: writes framed event records and
 * flushes them when closed, when {@code maxPending} records are waiting, and every flush interval
 * (from a shared daemon thread, so events reach disk even when training stalls between writes).
 *
 * <p>A record is encoded and framed completely in memory before a single byte of it is written, so
 * an exception while building an event (a bad tensor, a bug) never leaves a partial record in the
 * file. Methods are synchronized: the trainer and data-loading threads may log concurrently.
 */
final class EventFileWriter implements AutoCloseable {
    private static final int MAX_PENDING = 10;
    private static final ScheduledExecutorService FLUSHER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ember-tensorboard-flush");
        t.setDaemon(true);
        return t;
    });

    private final Path file;
    private final OutputStream out;
    private final ScheduledFuture<?> periodicFlush;
    private int pending;
    private IOException backgroundFailure;
    private boolean closed;

    /** Creates a new event file in {@code dir} (created if missing) and writes the file_version event. */
    EventFileWriter(Path dir, Duration flushInterval) throws IOException {
        Files.createDirectories(dir);
        Instant now = Instant.now();
        this.file = createNew(dir, "events.out.tfevents." + now.getEpochSecond() + "." + hostname());
        this.out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.WRITE), 1 << 16);
        try {
            write(Summaries.fileVersionEvent(wallTime(now)));
            flush();
        } catch (IOException | RuntimeException e) {
            out.close();
            throw e;
        }
        long millis = Math.max(1, flushInterval.toMillis());
        this.periodicFlush = FLUSHER.scheduleWithFixedDelay(this::flushInBackground, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** The file being written. */
    Path file() {
        return file;
    }

    /** Seconds since the epoch with microsecond resolution, as TensorBoard expects wall_time. */
    static double wallTime(Instant t) {
        return t.getEpochSecond() + t.getNano() / 1e9;
    }

    /** Frames and appends one serialized Event. */
    synchronized void write(byte[] event) throws IOException {
        if (closed) throw new IllegalStateException("SummaryWriter: already closed (" + file + ")");
        rethrowBackgroundFailure();
        byte[] record = TfRecord.frame(event); // whole record in memory first: never a torn record
        out.write(record);
        if (++pending >= MAX_PENDING) flush();
    }

    /** Pushes everything written so far to the operating system. */
    synchronized void flush() throws IOException {
        rethrowBackgroundFailure();
        if (closed) return;
        out.flush();
        pending = 0;
    }

    private synchronized void flushInBackground() {
        if (closed || pending == 0 || backgroundFailure != null) return;
        try {
            out.flush();
            pending = 0;
        } catch (IOException e) {
            backgroundFailure = e; // reported by the next call from the user's thread
        }
    }

    private void rethrowBackgroundFailure() throws IOException {
        if (backgroundFailure != null) {
            IOException e = backgroundFailure;
            backgroundFailure = null;
            throw new IOException("SummaryWriter: flushing " + file + " in the background failed: " + e.getMessage(), e);
        }
    }

    /** Flushes and closes the file; later writes fail, later closes do nothing. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) return;
        periodicFlush.cancel(false);
        closed = true;
        try {
            out.flush();
        } finally {
            out.close();
        }
    }

    private static Path createNew(Path dir, String base) throws IOException {
        for (int i = 0; ; i++) {
            Path p = dir.resolve(i == 0 ? base : base + "." + i);
            try {
                return Files.createFile(p);
            } catch (FileAlreadyExistsException e) {
                // another writer started in the same second on this host: take the next suffix
            }
        }
    }

    /** The host name for the file name (TensorBoard shows it), with unsafe characters replaced. */
    private static String hostname() {
        String name = System.getenv("HOSTNAME");
        if (name == null || name.isBlank()) name = System.getenv("COMPUTERNAME");
        if (name == null || name.isBlank()) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                name = "localhost";
            }
        }
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** Wraps I/O failures for the unchecked SummaryWriter API. */
    static UncheckedIOException unchecked(IOException e) {
        return new UncheckedIOException(e.getMessage(), e);
    }
}
