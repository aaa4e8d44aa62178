package dev.ember.data.datasets;

import dev.ember.data.Batch;
import dev.ember.data.DataLoader;
import dev.ember.data.download.DataOptions;
import dev.ember.data.download.ProgressReporter;
import dev.ember.data.transforms.Compose;
import dev.ember.data.transforms.ToTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Runs where Debian's dataset-fashion-mnist is installed (.ci/run installs it). */
class FashionMnistRealDataTest {
    @TempDir
    Path tmp;

    @Test
    void loadsAndVerifiesTheInstalledDataset() {
        Path dir = Path.of("/usr/share/datasets/fashion-mnist");
        assumeTrue(Files.isRegularFile(dir.resolve("train-images-idx3-ubyte.gz")), "dataset-fashion-mnist is not installed");
        // An empty cache and no downloads: the system folder must be found.
        DataOptions opts = new DataOptions(null, tmp, false, ProgressReporter.silent(), 1, Duration.ZERO, Duration.ofSeconds(1));
        ImageDataset train = FashionMnist.load(Split.TRAIN, opts);
        ImageDataset test = FashionMnist.load(Split.TEST, opts);
        assertEquals(60_000, train.size());
        assertEquals(10_000, test.size());
        assertEquals(28, train.height());
        assertArrayEquals(new int[] {6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000}, train.classCounts());
        assertArrayEquals(new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, test.classCounts());
        assertEquals(9, train.label(0), "the first training image is an ankle boot");
        // The published mean/std of the training pixels.
        double sum = 0, sq = 0;
        long n = 0;
        for (int i = 0; i < train.size(); i += 7) {
            for (byte b : train.image(i).pixels()) {
                double v = (b & 0xff) / 255.0;
                sum += v;
                sq += v * v;
                n++;
            }
        }
        double mean = sum / n, std = Math.sqrt(sq / n - mean * mean);
        assertEquals(FashionMnist.MEAN, mean, 0.003);
        assertEquals(FashionMnist.STD, std, 0.003);
        Batch b = DataLoader.builder(train.transform(Compose.of(new ToTensor(), FashionMnist.normalize())))
                .batchSize(256).shuffle(true).seed(0).workers(2).build().iterator().next();
        assertEquals(256, b.size());
        float[] x = b.x().toFloatArray();
        double m = 0;
        for (float v : x) m += v;
        assertTrue(Math.abs(m / x.length) < 0.2, "normalised batch mean near 0: " + m / x.length);
    }
}
