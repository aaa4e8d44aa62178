package dev.ember.data.download;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DownloaderTest {
    @TempDir
    Path tmp;

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String md5(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    }

    private DataOptions options() {
        return new DataOptions(null, tmp.resolve("cache"), true, ProgressReporter.silent(), 3, Duration.ZERO, Duration.ofSeconds(10));
    }

    @Test
    void downloadsVerifiesAndRenamesOnlyWhenComplete() throws Exception {
        byte[] data = randomBytes(300_000, 1);
        try (LoopbackServer server = new LoopbackServer().serve("blob.bin", data);
             Downloader d = new Downloader(options())) {
            Path p = d.fetch(new RemoteFile("blob.bin", md5(data), null, -1), List.of(server.url()), tmp.resolve("out"));
            assertArrayEquals(data, Files.readAllBytes(p));
            assertFalse(Files.exists(tmp.resolve("out/blob.bin.part")));
        }
    }

    @Test
    void retriesServerErrorsAndResumesDroppedTransfers() throws Exception {
        byte[] data = randomBytes(500_000, 2);
        try (LoopbackServer server = new LoopbackServer().serve("blob.bin", data);
             Downloader d = new Downloader(options())) {
            server.failNext(1);
            server.truncateNext(1);
            Path p = d.fetch(new RemoteFile("blob.bin", md5(data), null, -1), List.of(server.url()), tmp.resolve("out"));
            assertArrayEquals(data, Files.readAllBytes(p));
            assertTrue(server.requests.stream().anyMatch(r -> r.startsWith("blob.bin bytes=")), "resumed with a range request: " + server.requests);
        }
    }

    @Test
    void checksumMismatchIsRefusedAndLeavesNoFile() throws Exception {
        byte[] data = randomBytes(10_000, 3);
        try (LoopbackServer server = new LoopbackServer().serve("blob.bin", data);
             Downloader d = new Downloader(options())) {
            IOException e = assertThrows(IOException.class, () ->
                    d.fetch(new RemoteFile("blob.bin", "00000000000000000000000000000000", null, -1), List.of(server.url()), tmp.resolve("out")));
            assertTrue(e.getMessage().contains("MD5 mismatch"), e.getMessage());
            assertTrue(e.getMessage().contains("blob.bin"), e.getMessage());
            assertFalse(Files.exists(tmp.resolve("out/blob.bin")));
            assertFalse(Files.exists(tmp.resolve("out/blob.bin.part")));
        }
    }

    @Test
    void fallsBackToTheNextMirror() throws Exception {
        byte[] data = randomBytes(1000, 4);
        try (LoopbackServer empty = new LoopbackServer(); LoopbackServer full = new LoopbackServer().serve("a.bin", data);
             Downloader d = new Downloader(options())) {
            Path p = d.fetch(new RemoteFile("a.bin", md5(data), null, -1), List.of(empty.url(), full.url()), tmp.resolve("out"));
            assertArrayEquals(data, Files.readAllBytes(p));
            assertEquals(1, empty.requests.size(), "a 404 is not retried");
        }
    }

    @Test
    void locatorSearchesRootCacheSystemThenDownloads() throws Exception {
        byte[] data = randomBytes(100, 5);
        DatasetSpec spec = new DatasetSpec("toy", List.of(), List.of(new RemoteFile("f.bin.gz", null, null, -1)),
                List.of(tmp.resolve("system")), List.of("Toy/raw"), List.of("install the toy package"));
        Files.createDirectories(tmp.resolve("system"));
        Files.write(tmp.resolve("system/f.bin"), data);        // decompressed variant counts too
        DataOptions opts = options().withRoot(tmp.resolve("root"));
        assertEquals(tmp.resolve("system/f.bin"), DatasetLocator.locate(spec, opts).get("f.bin.gz"));
        Files.createDirectories(tmp.resolve("cache/toy"));
        Files.write(tmp.resolve("cache/toy/f.bin.gz"), data);
        assertEquals(tmp.resolve("cache/toy/f.bin.gz"), DatasetLocator.locate(spec, opts).get("f.bin.gz"));
        Files.createDirectories(tmp.resolve("root/Toy/raw"));
        Files.write(tmp.resolve("root/Toy/raw/f.bin.gz"), data);
        assertEquals(tmp.resolve("root/Toy/raw/f.bin.gz"), DatasetLocator.locate(spec, opts).get("f.bin.gz"));
    }

    @Test
    void notFoundOfflineListsThePlacesAndTheWaysToProvideTheData() {
        DatasetSpec spec = new DatasetSpec("toy", List.of("http://127.0.0.1:9/"), List.of(new RemoteFile("f.bin.gz", null, null, -1)),
                List.of(tmp.resolve("system")), List.of(), List.of("apt-get install dataset-toy"));
        DataOptions opts = options().withRoot(tmp.resolve("root")).withDownload(false);
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> DatasetLocator.locate(spec, opts));
        String m = e.getMessage();
        for (String expected : List.of("toy: dataset not found", "f.bin.gz", tmp.resolve("root").toString(),
                tmp.resolve("cache/toy").toString(), tmp.resolve("system").toString(), "downloads are off",
                "apt-get install dataset-toy", "--data DIR")) {
            assertTrue(m.contains(expected), "message lacks '" + expected + "':\n" + m);
        }
        // With downloads on but nothing listening, the download failure is explained.
        UncheckedIOException e2 = assertThrows(UncheckedIOException.class, () -> DatasetLocator.locate(spec, opts.withDownload(true)));
        assertTrue(e2.getMessage().contains("could not download f.bin.gz"), e2.getMessage());
    }

    @Test
    void progressDoesNotSpamWhenNotATerminal() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ProgressReporter p = new ProgressReporter.Console(new PrintStream(buf, true), false);
        p.start("big.bin", 1_000_000);
        for (int i = 1; i <= 1000; i++) p.update(i * 1000L);
        p.finish();
        String out = buf.toString();
        long lines = out.lines().count();
        assertTrue(lines <= 6, "at most start, three quarters, end:\n" + out);
        assertFalse(out.contains("\r"));
        assertTrue(out.contains("25%") && out.contains("75%"), out);
    }

    @Test
    void checksumsMatchTheJdk() throws Exception {
        byte[] data = randomBytes(70_000, 6);
        Path f = tmp.resolve("x");
        Files.write(f, data);
        assertEquals(md5(data), Checksums.md5(f));
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)), Checksums.sha256(f));
        assertEquals(Checksums.sha256(f), Checksums.sha256(data, data.length));
    }
}
