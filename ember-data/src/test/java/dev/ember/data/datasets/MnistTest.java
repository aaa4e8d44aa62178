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
import dev.ember.data.transforms.Normalize;
import dev.ember.data.transforms.ToTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MnistTest {
    @TempDir
    Path tmp;

    static final int[] TRAIN_LABELS = {5, 0, 4, 1, 9, 2, 1, 3, 1, 4, 3, 5};
    static final int[] TEST_LABELS = {7, 2, 1};

    private DataOptions options() {
        return new DataOptions(null, tmp.resolve("cache"), true, ProgressReporter.silent(), 2, Duration.ZERO, Duration.ofSeconds(10));
    }

    /** The four MNIST files of a tiny dataset (12 train, 3 test images of 4x5) and a spec describing them. */
    private record Toy(byte[][] raw, byte[][] gz, DatasetSpec spec) {
    }

    private static Toy toy(String mirror) throws Exception {
        byte[][] raw = {Fixtures.idxImages(12, 4, 5), Fixtures.idxLabels(TRAIN_LABELS), Fixtures.idxImages(3, 4, 5), Fixtures.idxLabels(TEST_LABELS)};
        String[] names = {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"};
        byte[][] gz = new byte[4][];
        RemoteFile[] files = new RemoteFile[4];
        for (int i = 0; i < 4; i++) {
            gz[i] = Fixtures.gzip(raw[i]);
            files[i] = new RemoteFile(names[i], Fixtures.md5(gz[i]), Fixtures.sha256(raw[i]), gz[i].length);
        }
        DatasetSpec spec = new DatasetSpec("mnist", mirror == null ? List.of() : List.of(mirror), List.of(files), List.of(), List.of("MNIST/raw"), List.of());
        return new Toy(raw, gz, spec);
    }

    @Test
    void downloadsFromTheMirrorVerifiesAndParses() throws Exception {
        try (LoopbackServer server = new LoopbackServer()) {
            Toy t = toy(server.url());
            for (int i = 0; i < 4; i++) server.serve(t.spec.files().get(i).name(), t.gz[i]);
            ImageDataset train = Mnist.load(t.spec, Split.TRAIN, options());
            assertEquals(12, train.size());
            assertEquals(4, train.height());
            assertEquals(5, train.width());
            assertEquals(1, train.channels());
            assertArrayEquals(TRAIN_LABELS, train.labels());
            Image img = train.image(3);
            for (int i = 0; i < 20; i++) assertEquals((3 * 7 + i) & 0xff, img.pixels()[i] & 0xff);
            assertTrue(Files.exists(tmp.resolve("cache/mnist/train-images-idx3-ubyte.gz")));
            int requests = server.requests.size();
            ImageDataset test = Mnist.load(t.spec, Split.TEST, options());
            assertArrayEquals(TEST_LABELS, test.labels());
            assertEquals(requests, server.requests.size(), "the second load comes from the cache");
        }
    }

    @Test
    void readsDecompressedFilesFromAUserRootInTorchvisionLayout() throws Exception {
        Toy t = toy(null);
        Path raw = tmp.resolve("data/MNIST/raw");
        Files.createDirectories(raw);
        for (int i = 0; i < 4; i++) Files.write(raw.resolve(t.spec.files().get(i).uncompressedName()), t.raw[i]);
        ImageDataset test = Mnist.load(t.spec, Split.TEST, options().withRoot(tmp.resolve("data")));
        assertArrayEquals(TEST_LABELS, test.labels());
    }

    private void writeCache(Toy t, int which, byte[] content) throws Exception {
        Path dir = tmp.resolve("cache/mnist");
        Files.createDirectories(dir);
        for (int i = 0; i < 4; i++) Files.write(dir.resolve(t.spec.files().get(i).name()), i == which ? content : t.gz[i]);
    }

    @Test
    void refusesABadMagicNumberNamingTheFile() throws Exception {
        Toy t = toy(null);
        byte[] bad = t.raw[0].clone();
        bad[3] = 2;
        writeCache(t, 0, Fixtures.gzip(bad));
        var e = assertThrows(UncheckedIOException.class, () -> Mnist.load(t.spec, Split.TRAIN, options()));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz") && e.getMessage().contains("bad magic number 0x00000802"), e.getMessage());
    }

    @Test
    void refusesATruncatedFile() throws Exception {
        Toy t = toy(null);
        writeCache(t, 0, Fixtures.gzip(Arrays.copyOf(t.raw[0], t.raw[0].length - 7)));
        var e = assertThrows(UncheckedIOException.class, () -> Mnist.load(t.spec, Split.TRAIN, options()));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("train-images"), e.getMessage());
    }

    @Test
    void refusesATruncatedGzipStream() throws Exception {
        Toy t = toy(null);
        writeCache(t, 1, Arrays.copyOf(t.gz[1], t.gz[1].length / 2));
        var e = assertThrows(UncheckedIOException.class, () -> Mnist.load(t.spec, Split.TRAIN, options()));
        assertTrue(e.getMessage().contains("train-labels-idx1-ubyte.gz") && e.getMessage().contains("gzip"), e.getMessage());
    }

    @Test
    void refusesContentWithTheWrongChecksum() throws Exception {
        Toy t = toy(null);
        byte[] flipped = t.raw[0].clone();
        flipped[100] ^= 1;                                   // structurally valid, one pixel wrong
        writeCache(t, 0, Fixtures.gzip(flipped));
        var e = assertThrows(UncheckedIOException.class, () -> Mnist.load(t.spec, Split.TRAIN, options()));
        assertTrue(e.getMessage().contains("SHA-256") && e.getMessage().contains("train-images-idx3-ubyte.gz"), e.getMessage());
    }

    @Test
    void refusesLabelsThatDoNotMatchTheImages() throws Exception {
        Toy t = toy(null);
        writeCache(t, 1, Fixtures.gzip(Fixtures.idxLabels(new int[] {1, 2})));
        DatasetSpec noSha = new DatasetSpec("mnist", List.of(), t.spec.files().stream()
                .map(f -> new RemoteFile(f.name(), null, null, -1)).toList(), List.of(), List.of(), List.of());
        var e = assertThrows(UncheckedIOException.class, () -> Mnist.load(noSha, Split.TRAIN, options()));
        assertTrue(e.getMessage().contains("2 labels for the 12 images"), e.getMessage());
    }

    @Test
    void batchedFastPathEqualsThePerSamplePath() throws Exception {
        Toy t = toy(null);
        writeCache(t, -1, null);
        ImageDataset train = Mnist.load(t.spec, Split.TRAIN, options()).transform(Compose.of(new ToTensor(), Normalize.of(0.13, 0.31)));
        DataLoader<Batch> fast = DataLoader.builder(train).batchSize(5).shuffle(true).seed(1).build();
        DataLoader<Batch> slow = DataLoader.builder(train, samples -> dev.ember.data.Collate.stack().collate(samples))
                .batchSize(5).shuffle(true).seed(1).build();
        var a = fast.iterator();
        var b = slow.iterator();
        while (a.hasNext()) {
            Batch x = a.next(), y = b.next();
            assertArrayEquals(y.x().toFloatArray(), x.x().toFloatArray());
            assertArrayEquals(y.y().toLongArray(), x.y().toLongArray());
            assertEquals(List.of(x.size(), 1, 4, 5), List.of(x.x().size(0), x.x().size(1), x.x().size(2), x.x().size(3)));
        }
        assertTrue(!b.hasNext());
        // Through a Subset from randomSplit as well.
        var part = train.randomSplit(3, 0.5, 0.5).get(1);
        Batch viaSubset = DataLoader.builder(part).batchSize(6).build().iterator().next();
        for (int k = 0; k < 6; k++) assertEquals(train.label(part.sourceIndex(k)), viaSubset.y().toLongArray()[k]);
        assertArrayEquals(part.get(2).x().toFloatArray(), viaSubset.x().select(0, 2).toFloatArray());
    }
}
