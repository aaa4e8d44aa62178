package dev.ember.data.download;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * A minimal reader of tar archives (POSIX ustar, with GNU long names and pax path records), optionally
 * gzip-compressed, enough for dataset archives such as {@code cifar-10-binary.tar.gz}. Each header's
 * checksum is verified; a truncated archive is an error, never a short file.
 */
public final class Tar {
    private static final int BLOCK = 512;

    private Tar() {
    }

    /** One archive member. @param name path inside the archive; @param size bytes; @param type tar type flag ('0' file, '5' dir, ...) */
    public record Entry(String name, long size, char type) {
        /** True for a regular file. */
        public boolean isFile() {
            return type == '0' || type == '\0' || type == '7';
        }
    }

    /** Called for every member; {@code content} yields exactly the member's bytes and must not be closed. */
    @FunctionalInterface
    public interface Visitor {
        void visit(Entry entry, InputStream content) throws IOException;
    }

    /** Reads the archive {@code file} (gzip-compressed when its content says so). */
    public static void read(Path file, Visitor visitor) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            try (InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw) {
                read(in, file.toString(), visitor);
            }
        }
    }

    /** Reads an uncompressed tar stream; {@code name} names it in errors. */
    public static void read(InputStream in, String name, Visitor visitor) throws IOException {
        byte[] header = new byte[BLOCK];
        String longName = null;
        while (true) {
            int got = in.readNBytes(header, 0, BLOCK);
            if (got == 0) return;                              // end without the two zero blocks: tolerated
            if (got < BLOCK) throw new EOFException(name + ": truncated tar archive (partial header)");
            if (isZero(header)) return;                        // end-of-archive marker
            verifyChecksum(header, name);
            String entryName = text(header, 0, 100);
            String prefix = text(header, 345, 155);
            if (!prefix.isEmpty() && "ustar".equals(text(header, 257, 5))) entryName = prefix + "/" + entryName;
            long size = number(header, 124, 12, name);
            char type = (char) header[156];
            if (type == 'L' || type == 'x' || type == 'g') {
                byte[] data = readFully(in, size, name);
                skipPadding(in, size, name);
                if (type == 'L') longName = new String(data, StandardCharsets.UTF_8).replace("\0", "");
                else if (type == 'x') {
                    String path = paxPath(data);
                    if (path != null) longName = path;
                }
                continue;
            }
            if (longName != null) {
                entryName = longName;
                longName = null;
            }
            BoundedStream content = new BoundedStream(in, size, name + ": " + entryName);
            visitor.visit(new Entry(entryName, size, type), content);
            content.skipRest();
            skipPadding(in, size, name);
        }
    }

    private static String paxPath(byte[] data) {
        String s = new String(data, StandardCharsets.UTF_8);
        for (String rec : s.split("\n")) {
            int sp = rec.indexOf(' ');
            if (sp > 0 && rec.startsWith("path=", sp + 1)) return rec.substring(sp + 6);
        }
        return null;
    }

    private static void verifyChecksum(byte[] h, String name) throws IOException {
        long stored = number(h, 148, 8, name);
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
        if (sum != stored) throw new IOException(name + ": corrupt tar header (checksum " + stored + ", computed " + sum + ")");
    }

    private static long number(byte[] h, int at, int len, String name) throws IOException {
        if ((h[at] & 0x80) != 0) {                             // GNU base-256 for large sizes
            long v = h[at] & 0x7f;
            for (int i = 1; i < len; i++) v = (v << 8) | (h[at + i] & 0xff);
            return v;
        }
        String s = text(h, at, len).trim();
        if (s.isEmpty()) return 0;
        try {
            return Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new IOException(name + ": corrupt tar header (bad octal number '" + s + "')");
        }
    }

    private static String text(byte[] h, int at, int len) {
        int end = at;
        while (end < at + len && h[end] != 0) end++;
        return new String(h, at, end - at, StandardCharsets.UTF_8);
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }

    private static byte[] readFully(InputStream in, long size, String name) throws IOException {
        if (size > (1 << 24)) throw new IOException(name + ": tar metadata record of " + size + " bytes is implausibly large");
        byte[] b = in.readNBytes((int) size);
        if (b.length < size) throw new EOFException(name + ": truncated tar archive");
        return b;
    }

    private static void skipPadding(InputStream in, long size, String name) throws IOException {
        long pad = (BLOCK - size % BLOCK) % BLOCK;
        if (pad == 0) return;
        // Tolerate an archive that ends right after the last member's data (some writers omit padding).
        in.readNBytes((int) pad);
    }

    /** The bytes of one member; refuses to read past it and reports a truncated archive. */
    private static final class BoundedStream extends InputStream {
        private final InputStream in;
        private final String what;
        private long left;

        BoundedStream(InputStream in, long size, String what) {
            this.in = in;
            this.left = size;
            this.what = what;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) return -1;
            int b = in.read();
            if (b < 0) throw new EOFException(what + ": truncated (archive ended inside this member)");
            left--;
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            if (left <= 0) return -1;
            int n = in.read(buf, off, (int) Math.min(len, left));
            if (n < 0) throw new EOFException(what + ": truncated (archive ended inside this member, " + left + " bytes missing)");
            left -= n;
            return n;
        }

        void skipRest() throws IOException {
            byte[] buf = new byte[8192];
            while (left > 0) {
                if (read(buf, 0, buf.length) < 0) break;
            }
        }

        @Override
        public void close() {
            // The archive stream stays open for the next member.
        }
    }
}
