package dev.ember.data.datasets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Generates small files in the dataset formats: IDX, CIFAR binary records, tar archives. */
final class Fixtures {
    private Fixtures() {
    }

    /** IDX of unsigned bytes with the given dims; pixel i of image n is (n * 7 + i) mod 256. */
    static byte[] idxImages(int n, int h, int w) {
        ByteBuffer b = ByteBuffer.allocate(16 + n * h * w);
        b.putInt(0x0803).putInt(n).putInt(h).putInt(w);
        for (int k = 0; k < n; k++) for (int i = 0; i < h * w; i++) b.put((byte) (k * 7 + i));
        return b.array();
    }

    static byte[] idxLabels(int[] labels) {
        ByteBuffer b = ByteBuffer.allocate(8 + labels.length);
        b.putInt(0x0801).putInt(labels.length);
        for (int l : labels) b.put((byte) l);
        return b.array();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    static String md5(byte[] b) {
        return hex("MD5", b);
    }

    static String sha256(byte[] b) {
        return hex("SHA-256", b);
    }

    private static String hex(String alg, byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(alg).digest(b));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * CIFAR records: record r has labels {@code labelOf(r, j)} for each label byte j, and pixel p of
     * plane c equal to (r * 31 + c * 50 + p) mod 256.
     */
    static byte[] cifarRecords(int count, int labelBytes, int start, int classes) {
        int rec = labelBytes + 3072;
        byte[] b = new byte[count * rec];
        for (int r = 0; r < count; r++) {
            int id = start + r;
            for (int j = 0; j < labelBytes; j++) b[r * rec + j] = (byte) cifarLabel(id, j, classes);
            for (int c = 0; c < 3; c++) for (int p = 0; p < 1024; p++) b[r * rec + labelBytes + c * 1024 + p] = (byte) (id * 31 + c * 50 + p);
        }
        return b;
    }

    static int cifarLabel(int id, int labelByte, int classes) {
        return labelByte == 0 && classes == 100 ? (id * 3) % 20 : (id * 7 + 3) % classes;
    }

    /** An uncompressed ustar archive of the given entries (path to content). */
    static byte[] tar(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (var e : entries.entrySet()) {
            byte[] h = new byte[512];
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            System.arraycopy(name, 0, h, 0, name.length);
            octal(h, 100, 8, 0644);
            octal(h, 108, 8, 0);
            octal(h, 116, 8, 0);
            octal(h, 124, 12, e.getValue().length);
            octal(h, 136, 12, 0);
            h[156] = '0';
            System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
            for (int i = 148; i < 156; i++) h[i] = ' ';
            int sum = 0;
            for (byte x : h) sum += x & 0xff;
            octal(h, 148, 7, sum);
            out.write(h);
            out.write(e.getValue());
            out.write(new byte[(512 - e.getValue().length % 512) % 512]);
        }
        out.write(new byte[1024]);
        return out.toByteArray();
    }

    private static void octal(byte[] h, int at, int len, long v) {
        String s = Long.toOctalString(v);
        s = "0".repeat(len - 1 - s.length()) + s;
        System.arraycopy(s.getBytes(StandardCharsets.US_ASCII), 0, h, at, len - 1);
        h[at + len - 1] = 0;
    }
}
