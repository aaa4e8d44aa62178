package dev.ember.data.datasets;

import dev.ember.data.download.DataOptions;
import dev.ember.data.download.DatasetSpec;
import dev.ember.data.download.RemoteFile;
import dev.ember.data.transforms.Normalize;

import java.util.List;

/**
 * CIFAR-10 (Krizhevsky 2009): 32x32 colour images in 10 classes, 50,000 for training and 10,000 for
 * testing, read from the binary version ({@code cifar-10-binary.tar.gz}). Found in the user's root or the
 * cache ({@code ~/.ember/datasets/cifar-10}), as the extracted {@code cifar-10-batches-bin} folder or the
 * archive, else downloaded from the authors' page, checked against the published MD5, and extracted.
 */
public final class Cifar10 {
    /** Class names, index = label. */
    public static final List<String> CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
            "horse", "ship", "truck");

    /**
     * The published archive: URL and MD5 from https://www.cs.toronto.edu/~kriz/cifar.html (the MD5 and
     * the size checked against several public copies).
     */
    public static final DatasetSpec SPEC = new DatasetSpec("cifar-10", List.of("https://www.cs.toronto.edu/~kriz/"),
            List.of(new RemoteFile("cifar-10-binary.tar.gz", "c32a1d4ab5d03f1284b67883e8d87530", null, 170_052_171L)),
            List.of(), List.of("cifar10", "CIFAR10"), List.of());

    /** Per-channel means of the training pixels in [0, 1]. */
    public static final double[] MEAN = {0.4914, 0.4822, 0.4465};
    /** Per-channel standard deviations of the training pixels in [0, 1]. */
    public static final double[] STD = {0.2470, 0.2435, 0.2616};

    private Cifar10() {
    }

    /** The split, found or downloaded with {@link DataOptions#defaults()}. */
    public static ImageDataset load(Split split) {
        return load(split, DataOptions.defaults());
    }

    /** The split, found or downloaded with {@code options}. */
    public static ImageDataset load(Split split, DataOptions options) {
        return load(SPEC, CifarLayout.CIFAR10, split, options);
    }

    /** The split of an archive described by {@code spec} with the given layout (e.g. another mirror, or a small test archive). */
    public static ImageDataset load(DatasetSpec spec, CifarLayout layout, Split split, DataOptions options) {
        return CifarLoader.load(spec, layout, split, options, 0, CLASSES, spec.name());
    }

    /** Normalisation by the training set's per-channel mean and standard deviation. */
    public static Normalize normalize() {
        return Normalize.of(MEAN, STD);
    }
}
