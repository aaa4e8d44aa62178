package dev.ember.data.datasets;

import dev.ember.data.Batch;
import dev.ember.data.DataLoader;
import dev.ember.data.Image;
import dev.ember.data.download.DataOptions;
import dev.ember.data.download.DatasetSpec;
import dev.ember.data.download.LoopbackServer;
import dev.ember.data.download.ProgressReporter;
import dev.ember.data.download.RemoteFile;
import dev.ember.data.transforms.Compose;
import dev.ember.data.transforms.RandomCrop;
import dev.ember.data.transforms.RandomHorizontalFlip;
import dev.ember.data.transforms.ToTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CifarTest {
    @TempDir
    Path tmp;

    static final CifarLayout SMALL10 = CifarLayout.CIFAR10.withRecords(4, 6);
    static final CifarLayout SMALL100 = CifarLayout.CIFAR100.withRecords(9, 5);

    private DataOptions options() {
        return new DataOptions(null, tmp.resolve("cache"), true, ProgressReporter.silent(), 2, Duration.ZERO, Duration.ofSeconds(10));
    }

    /** A CIFAR-10 binary archive with 5 x 4 training and 6 test records (ids 0..19 and 100..105). */
    static byte[] cifar10Archive() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int b = 1; b <= 5; b++) entries.put("cifar-10-batches-bin/data_batch_" + b + ".bin", Fixtures.cifarRecords(4, 1, (b - 1) * 4, 10));
        entries.put("cifar-10-batches-bin/test_batch.bin", Fixtures.cifarRecords(6, 1, 100, 10));
        entries.put("cifar-10-batches-bin/batches.meta.txt", "airplane\n".getBytes());
        return Fixtures.gzip(Fixtures.tar(entries));
    }

    private static DatasetSpec spec10(String mirror, byte[] archive) {
        return new DatasetSpec("cifar-10", List.of(mirror), List.of(new RemoteFile("cifar-10-binary.tar.gz", Fixtures.md5(archive), null, archive.length)),
                List.of(), List.of(), List.of());
    }

    private static void checkRecord(ImageDataset ds, int index, int id, int label) {
        assertEquals(label, ds.label(index));
        Image img = ds.image(index);
        for (int c = 0; c < 3; c++) for (int p : new int[] {0, 33, 1023}) {
            assertEquals((id * 31 + c * 50 + p) & 0xff, img.at(p / 32, p % 32, c), "record " + id + " channel " + c + " pixel " + p);
        }
    }

    @Test
    void downloadsTheArchiveOverLoopbackVerifiesExtractsAndParses() throws Exception {
        byte[] archive = cifar10Archive();
        try (LoopbackServer server = new LoopbackServer().serve("cifar-10-binary.tar.gz", archive)) {
            DatasetSpec spec = spec10(server.url(), archive);
            ImageDataset train = Cifar10.load(spec, SMALL10, Split.TRAIN, options());
            assertEquals(20, train.size());
            assertEquals(32, train.height());
            assertEquals(3, train.channels());
            for (int id = 0; id < 20; id++) checkRecord(train, id, id, Fixtures.cifarLabel(id, 0, 10));
            assertTrue(Files.isRegularFile(tmp.resolve("cache/cifar-10/cifar-10-batches-bin/data_batch_3.bin")), "extracted once");
            ImageDataset test = Cifar10.load(spec, SMALL10, Split.TEST, options());
            assertEquals(6, test.size());
            checkRecord(test, 5, 105, Fixtures.cifarLabel(105, 0, 10));
            assertEquals(1, server.requests.size(), "downloaded once: " + server.requests);
            assertEquals("airplane", test.classes().get(0));
        }
    }

    @Test
    void aCorruptDownloadIsRefusedByItsChecksum() throws Exception {
        byte[] archive = cifar10Archive();
        byte[] corrupt = archive.clone();
        corrupt[corrupt.length / 2] ^= 0x55;
        try (LoopbackServer server = new LoopbackServer().serve("cifar-10-binary.tar.gz", corrupt)) {
            var e = assertThrows(UncheckedIOException.class, () -> Cifar10.load(spec10(server.url(), archive), SMALL10, Split.TRAIN, options()));
            assertTrue(e.getMessage().contains("MD5 mismatch") && e.getMessage().contains("cifar-10-binary.tar.gz"), e.getMessage());
            assertTrue(!Files.exists(tmp.resolve("cache/cifar-10/cifar-10-binary.tar.gz")), "no partial dataset is left");
        }
    }

    @Test
    void readsAnArchiveInAUserRootInPlace() throws Exception {
        byte[] archive = cifar10Archive();
        Files.createDirectories(tmp.resolve("root"));
        Files.write(tmp.resolve("root/cifar-10-binary.tar.gz"), archive);
        ImageDataset test = Cifar10.load(spec10("http://127.0.0.1:9/", archive), SMALL10, Split.TEST, options().withRoot(tmp.resolve("root")));
        assertEquals(6, test.size());
        assertTrue(!Files.exists(tmp.resolve("root/cifar-10-batches-bin")), "nothing written into the user's folder");
    }

    @Test
    void refusesATruncatedBinaryFileNamingIt() throws Exception {
        Path dir = tmp.resolve("cache/cifar-10/cifar-10-batches-bin");
        Files.createDirectories(dir);
        byte[] test = Fixtures.cifarRecords(6, 1, 100, 10);
        Files.write(dir.resolve("test_batch.bin"), Arrays.copyOf(test, test.length - 100));
        var e = assertThrows(UncheckedIOException.class, () -> Cifar10.load(spec10("http://127.0.0.1:9/", new byte[0]), SMALL10, Split.TEST, options()));
        assertTrue(e.getMessage().contains("test_batch.bin") && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void refusesOutOfRangeLabels() throws Exception {
        Path dir = tmp.resolve("cache/cifar-10/cifar-10-batches-bin");
        Files.createDirectories(dir);
        byte[] test = Fixtures.cifarRecords(6, 1, 100, 10);
        test[2 * 3073] = 42;
        Files.write(dir.resolve("test_batch.bin"), test);
        var e = assertThrows(UncheckedIOException.class, () -> Cifar10.load(spec10("http://127.0.0.1:9/", new byte[0]), SMALL10, Split.TEST, options()));
        assertTrue(e.getMessage().contains("record 2 has label 42"), e.getMessage());
    }

    @Test
    void refusesATruncatedArchive() throws Exception {
        byte[] archive = cifar10Archive();
        byte[] tarBytes = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(archive)).readAllBytes();
        Files.createDirectories(tmp.resolve("root"));
        Files.write(tmp.resolve("root/cifar-10-binary.tar.gz"), Fixtures.gzip(Arrays.copyOf(tarBytes, 3 * 3584)));
        var e = assertThrows(UncheckedIOException.class, () ->
                Cifar10.load(spec10("http://127.0.0.1:9/", archive), SMALL10, Split.TRAIN, options().withRoot(tmp.resolve("root"))));
        assertTrue(e.getMessage().contains("cifar-10-binary.tar.gz") && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void cifar100HasFineAndCoarseLabels() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("cifar-100-binary/train.bin", Fixtures.cifarRecords(9, 2, 0, 100));
        entries.put("cifar-100-binary/test.bin", Fixtures.cifarRecords(5, 2, 50, 100));
        byte[] archive = Fixtures.gzip(Fixtures.tar(entries));
        try (LoopbackServer server = new LoopbackServer().serve("cifar-100-binary.tar.gz", archive)) {
            DatasetSpec spec = new DatasetSpec("cifar-100", List.of(server.url()),
                    List.of(new RemoteFile("cifar-100-binary.tar.gz", Fixtures.md5(archive), null, -1)), List.of(), List.of(), List.of());
            ImageDataset fine = Cifar100.load(spec, SMALL100, Split.TRAIN, Cifar100.Labels.FINE, options());
            ImageDataset coarse = Cifar100.load(spec, SMALL100, Split.TRAIN, Cifar100.Labels.COARSE, options());
            assertEquals(9, fine.size());
            assertEquals(100, fine.classes().size());
            assertEquals(20, coarse.classes().size());
            for (int i = 0; i < 9; i++) {
                checkRecord(fine, i, i, Fixtures.cifarLabel(i, 1, 100));
                assertEquals(Fixtures.cifarLabel(i, 0, 100), coarse.label(i));
            }
        }
    }

    @Test
    void augmentedBatchesHaveCifarShapeAndAreReproducible() throws Exception {
        byte[] archive = cifar10Archive();
        try (LoopbackServer server = new LoopbackServer().serve("cifar-10-binary.tar.gz", archive)) {
            ImageDataset train = Cifar10.load(spec10(server.url(), archive), SMALL10, Split.TRAIN, options())
                    .transform(Compose.of(new RandomCrop(32, 4), new RandomHorizontalFlip(), new ToTensor(), Cifar10.normalize()));
            float[] first = null;
            for (int workers : new int[] {0, 2}) {
                Batch b = DataLoader.builder(train).batchSize(8).shuffle(true).seed(5).workers(workers).build().iterator().next();
                assertEquals(List.of(8, 3, 32, 32), List.of(b.x().size(0), b.x().size(1), b.x().size(2), b.x().size(3)));
                if (first == null) first = b.x().toFloatArray();
                else assertArrayEquals(first, b.x().toFloatArray());
            }
        }
    }
}
