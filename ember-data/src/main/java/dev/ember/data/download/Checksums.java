package dev.ember.data.download;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** MD5 and SHA-256 digests as lower-case hex, for verifying downloads and dataset files. */
public final class Checksums {
    private Checksums() {
    }

    /** MD5 of a file's bytes. */
    public static String md5(Path file) throws IOException {
        return digest(file, "MD5");
    }

    /** SHA-256 of a file's bytes. */
    public static String sha256(Path file) throws IOException {
        return digest(file, "SHA-256");
    }

    /** SHA-256 of {@code bytes[0..length)}. */
    public static String sha256(byte[] bytes, int length) {
        MessageDigest md = newDigest("SHA-256");
        md.update(bytes, 0, length);
        return HexFormat.of().formatHex(md.digest());
    }

    /** The {@code algorithm} ("MD5", "SHA-256") digest of a file. */
    public static String digest(Path file, String algorithm) throws IOException {
        MessageDigest md = newDigest(algorithm);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Checksums: the JDK has no " + algorithm, e);
        }
    }
}
