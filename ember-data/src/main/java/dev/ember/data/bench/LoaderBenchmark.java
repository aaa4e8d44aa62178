package dev.ember.data.bench;

import dev.ember.data.Batch;
import dev.ember.data.Collate;
import dev.ember.data.DataLoader;
import dev.ember.data.Dataset;
import dev.ember.data.Sample;
import dev.ember.data.datasets.Cifar10;
import dev.ember.data.datasets.FashionMnist;
import dev.ember.data.datasets.ImageDataset;
import dev.ember.data.datasets.Split;
import dev.ember.data.download.DataOptions;
import dev.ember.data.transforms.Compose;
import dev.ember.data.transforms.RandomCrop;
import dev.ember.data.transforms.RandomHorizontalFlip;
import dev.ember.data.transforms.ToTensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Loader throughput in images per second: Fashion-MNIST with ToTensor + Normalize (batched byte-to-float
 * path, and the per-sample path for comparison), and CIFAR-shaped random images with RandomCrop(32, 4)
 * + RandomHorizontalFlip + ToTensor + Normalize. The consumer only reads one value per batch, so this is
 * the rate at which the loader can feed training.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp ember-core/target/classes:ember-data/target/classes \
 *      dev.ember.data.bench.LoaderBenchmark [epochs]
 * </pre>
 */
public final class LoaderBenchmark {
    private LoaderBenchmark() {
    }

    public static void main(String[] args) {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        System.out.printf(Locale.ROOT, "cores: %d, JDK %s%n", Runtime.getRuntime().availableProcessors(), Runtime.version());
        ImageDataset fmnist;
        String source;
        try {
            fmnist = FashionMnist.load(Split.TRAIN, DataOptions.defaults().withDownload(false));
            source = "Fashion-MNIST train (real)";
        } catch (RuntimeException e) {
            fmnist = random("fashion-mnist-shaped", 60_000, 28, 28, 1, 1);
            source = "Fashion-MNIST-shaped random bytes (dataset not installed)";
        }
        ImageDataset fm = fmnist.transform(Compose.of(new ToTensor(), FashionMnist.normalize()));
        System.out.println(source + ", " + fm.size() + " images, batch 256, ToTensor + Normalize:");
        for (int workers : new int[] {0, 1, 2}) {
            report("  batched path, workers " + workers, fm, Collate.stack(), 256, workers, epochs);
        }
        Collate<Sample, Batch> perSample = samples -> Collate.stack().collate(samples);   // not the default: no fast path
        report("  per-sample path, workers 2", fm, perSample, 256, 2, epochs);

        ImageDataset cifar = random("cifar-shaped", 50_000, 32, 32, 3, 2)
                .transform(Compose.of(new RandomCrop(32, 4), new RandomHorizontalFlip(), new ToTensor(), Cifar10.normalize()));
        System.out.println("CIFAR-shaped random bytes, " + cifar.size() + " images, batch 128, RandomCrop(32, 4) + RandomHorizontalFlip + ToTensor + Normalize:");
        for (int workers : new int[] {0, 1, 2}) {
            report("  workers " + workers, cifar, Collate.stack(), 128, workers, Math.max(1, epochs / 2));
        }
    }

    private static ImageDataset random(String name, int n, int h, int w, int c, long seed) {
        byte[] px = new byte[n * h * w * c];
        new Random(seed).nextBytes(px);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i % 10;
        List<String> classes = new ArrayList<>();
        for (int k = 0; k < 10; k++) classes.add("class " + k);
        return ImageDataset.of(name, px, labels, h, w, c, classes);
    }

    private static void report(String label, Dataset<Sample> ds, Collate<Sample, Batch> collate, int batch, int workers, int epochs) {
        DataLoader<Batch> loader = DataLoader.builder(ds, collate).batchSize(batch).shuffle(true).seed(1).workers(workers).build();
        run(loader);   // warm-up epoch (JIT)
        double[] rates = new double[epochs];
        for (int e = 0; e < epochs; e++) rates[e] = run(loader);
        java.util.Arrays.sort(rates);
        System.out.printf(Locale.ROOT, "%-34s median %,9.0f img/s  (min %,9.0f, max %,9.0f over %d epochs)%n",
                label, rates[epochs / 2], rates[0], rates[epochs - 1], epochs);
    }

    private static double run(DataLoader<Batch> loader) {
        long start = System.nanoTime();
        long images = 0;
        double sink = 0;
        for (Batch b : loader) {
            images += b.size();
            sink += b.x().get(0, 0, 0, 0);
        }
        double secs = (System.nanoTime() - start) / 1e9;
        if (sink == 42.4242) System.out.print("");
        return images / secs;
    }
}
