package dev.ember.data.datasets;

import dev.ember.data.download.Checksums;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reader of the IDX format of MNIST and Fashion-MNIST (LeCun et al.): a 4-byte magic number
 * {@code 00 00 <type> <rank>}, {@code rank} big-endian int32 dimension sizes, then the data in row-major
 * order. Only unsigned bytes (type 0x08) are read. Files may be gzip-compressed ({@code .gz}, detected
 * by content). Anything inconsistent is refused with an error naming the file and the problem.
 */
public final class Idx {
    private static final int UBYTE = 0x08;

    private Idx() {
    }

    /**
     * An IDX array of unsigned bytes.
     *
     * @param dims dimension sizes
     * @param data the whole decompressed file
     * @param offset index of the first data byte in {@code data} (after the header)
     */
    public record Array(int[] dims, byte[] data, int offset) {
        /** Number of data bytes. */
        public int length() {
            int n = 1;
            for (int d : dims) n *= d;
            return n;
        }

        /** The data bytes as a fresh array. */
        public byte[] copyData() {
            return Arrays.copyOfRange(data, offset, offset + length());
        }
    }

    /** The file's bytes, decompressed when it is gzip (by magic number, whatever its name). */
    public static byte[] readBytes(Path file) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            try (InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw) {
                return in.readAllBytes();
            }
        } catch (java.io.EOFException | ZipException e) {
            throw corrupt(file, "the gzip stream is truncated or corrupt (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Reads and checks an IDX file of unsigned bytes with {@code expectedRank} dimensions; when
     * {@code sha256} is not null the decompressed bytes must have that SHA-256.
     */
    public static Array read(Path file, int expectedRank, String sha256) {
        byte[] bytes = readBytes(file);
        Array a = parse(bytes, file.toString(), expectedRank);
        if (sha256 != null) {
            String actual = Checksums.sha256(bytes, bytes.length);
            if (!actual.equalsIgnoreCase(sha256)) {
                throw corrupt(file, "SHA-256 of the decompressed content is " + actual + ", expected " + sha256
                        + "; the file is corrupt or not the published one (delete it to download it again)", null);
            }
        }
        return a;
    }

    /** Parses IDX bytes; {@code name} names the source in errors. */
    public static Array parse(byte[] b, String name, int expectedRank) {
        if (b.length < 4) throw corrupt(name, "only " + b.length + " bytes, too short for an IDX header");
        int magic = readInt(b, 0);
        int expectedMagic = (UBYTE << 8) | expectedRank;
        if (magic != expectedMagic) {
            throw corrupt(name, String.format("bad magic number 0x%08x, expected 0x%08x (IDX of unsigned bytes with %d dimensions)",
                    magic, expectedMagic, expectedRank));
        }
        int header = 4 + 4 * expectedRank;
        if (b.length < header) throw corrupt(name, "truncated header: " + b.length + " bytes, the header alone needs " + header);
        int[] dims = new int[expectedRank];
        long n = 1;
        for (int i = 0; i < expectedRank; i++) {
            dims[i] = readInt(b, 4 + 4 * i);
            if (dims[i] < 0) throw corrupt(name, "negative dimension " + dims[i] + " in the header");
            n *= dims[i];
        }
        long expected = header + n;
        if (b.length != expected) {
            throw corrupt(name, (b.length < expected ? "truncated: " : "wrong length: ") + b.length + " bytes, expected " + expected
                    + " (" + header + "-byte header + " + dimsText(dims) + " data bytes)");
        }
        return new Array(dims, b, header);
    }

    private static String dimsText(int[] dims) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < dims.length; i++) sb.append(i == 0 ? "" : "x").append(dims[i]);
        return sb.toString();
    }

    private static int readInt(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    static UncheckedIOException corrupt(Path file, String problem, Exception cause) {
        return new UncheckedIOException(file + ": " + problem, cause instanceof IOException io ? io : new IOException(problem, cause));
    }

    static UncheckedIOException corrupt(String name, String problem) {
        return new UncheckedIOException(name + ": " + problem, new IOException(problem));
    }
}
