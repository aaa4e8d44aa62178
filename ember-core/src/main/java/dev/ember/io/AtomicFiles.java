package dev.ember.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Crash-safe file replacement: the new content is written to a temporary file in the target's
 * directory, forced to disk, then renamed over the target with {@link StandardCopyOption#ATOMIC_MOVE}.
 * A reader (or a process restarted after a crash) therefore sees either the old file or the complete
 * new one, never a half-written file. Used for safetensors files, checkpoints and run reports.
 *
 * <pre>{@code
 * AtomicFiles.write(path, out -> out.write(bytes));
 * }</pre>
 *
 * <p>If the body throws, the temporary file is deleted and the target is left untouched. The
 * temporary file is named {@code .<target name>.<random>.tmp} so it is hidden and recognisable.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Writes the content of a file to a stream; may throw {@link IOException}. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Replaces {@code target} atomically with what {@code body} writes. Parent directories are
     * created if missing. The stream passed to the body is buffered; closing it only flushes it.
     *
     * @throws IOException from the body or the file system; the target is unchanged then
     */
    public static void write(Path target, Body body) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        Path tmp = createTemp(dir, abs.getFileName().toString());
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = new BufferedOutputStream(new KeepOpen(Channels.newOutputStream(ch)), 1 << 16);
                body.writeTo(out);
                out.flush();
                ch.force(true); // data on disk before the rename makes it visible
            }
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
            moved = true;
            syncDirectory(dir);
        } finally {
            if (!moved) Files.deleteIfExists(tmp);
        }
    }

    /** Replaces {@code target} atomically with {@code bytes}. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /** Replaces {@code target} atomically with {@code text} encoded as UTF-8. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Lets a body close its stream without closing the channel that still has to be forced to disk. */
    private static final class KeepOpen extends FilterOutputStream {
        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len); // FilterOutputStream would write byte by byte
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }

    /**
     * A new empty file next to the target. Unlike {@link Files#createTempFile}, which makes files only
     * the owner can read, it gets the permissions any new file gets (the umask's), as the target would.
     */
    private static Path createTemp(Path dir, String name) throws IOException {
        while (true) {
            Path tmp = dir.resolve("." + name + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
            try {
                return Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                // astronomically unlikely: draw another name
            }
        }
    }

    /**
     * Forces the directory entry (the rename) to disk where the platform allows opening a directory
     * (Linux, macOS); elsewhere the rename is still atomic, only its durability is up to the OS.
     */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Not supported for directories on this platform (e.g. Windows): nothing more to do.
        }
    }
}
