package dev.ember.data.datasets;

import dev.ember.data.download.DataOptions;
import dev.ember.data.download.DatasetSpec;
import dev.ember.data.download.RemoteFile;

import java.util.List;

/**
 * MNIST handwritten digits (LeCun, Cortes and Burges): 28x28 gray images of the digits 0-9, 60,000 for
 * training and 10,000 for testing, in the IDX format. Found in the user's root or the cache
 * ({@code ~/.ember/datasets/mnist}), else downloaded from torchvision's mirrors.
 */
public final class Mnist {
    /** Class names, index = label. */
    public static final List<String> CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    /**
     * The published files. Mirrors and .gz MD5s: torchvision's {@code MNIST.mirrors/resources}, checked
     * against public copies. SHA-256s of the decompressed IDX bytes: not computed here (no copy on this
     * machine) but identical across many independent public lists.
     */
    public static final DatasetSpec SPEC = new DatasetSpec("mnist",
            List.of("https://ossci-datasets.s3.amazonaws.com/mnist/", "http://yann.lecun.com/exdb/mnist/"),
            List.of(new RemoteFile("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873",
                            "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db", -1),
                    new RemoteFile("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432",
                            "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5", -1),
                    new RemoteFile("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3",
                            "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7", -1),
                    new RemoteFile("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c",
                            "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2", -1)),
            List.of(),
            List.of("MNIST/raw"),
            List.of());

    /** Mean of the training pixels in [0, 1]. */
    public static final double MEAN = 0.1307;
    /** Standard deviation of the training pixels in [0, 1]. */
    public static final double STD = 0.3081;

    private Mnist() {
    }

    /** The split, found or downloaded with {@link DataOptions#defaults()}. */
    public static ImageDataset load(Split split) {
        return load(split, DataOptions.defaults());
    }

    /** The split, found or downloaded with {@code options}. */
    public static ImageDataset load(Split split, DataOptions options) {
        return load(SPEC, split, options);
    }

    /** The split from the files {@code spec} describes (e.g. other mirrors). */
    public static ImageDataset load(DatasetSpec spec, Split split, DataOptions options) {
        return IdxImages.load(spec, split, options, CLASSES);
    }
}
