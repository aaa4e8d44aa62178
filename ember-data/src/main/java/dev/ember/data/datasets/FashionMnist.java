package dev.ember.data.datasets;

import dev.ember.data.download.DataOptions;
import dev.ember.data.download.DatasetSpec;
import dev.ember.data.download.RemoteFile;

import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf 2017): 28x28 gray images of clothing in 10 classes, 60,000
 * for training and 10,000 for testing, in the IDX format.
 *
 * <p>Found, in order, in the user's root, the cache ({@code ~/.ember/datasets/fashion-mnist}), Debian's
 * {@code dataset-fashion-mnist} package ({@code /usr/share/datasets/fashion-mnist}), else downloaded
 * from the mirrors torchvision and Keras use. Every file is checked against the SHA-256 of its
 * decompressed content, which holds for Debian's recompressed copies too.
 *
 * <pre>{@code
 * ImageDataset train = FashionMnist.load(Split.TRAIN).transform(Compose.of(new ToTensor(), FashionMnist.normalize()));
 * }</pre>
 */
public final class FashionMnist {
    /** Class names, index = label. */
    public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /**
     * The published files. MD5s of the .gz files: torchvision's {@code FashionMNIST.resources} (the
     * official values from the Fashion-MNIST README), checked against several public copies. SHA-256s of
     * the decompressed IDX bytes: computed from Debian's dataset-fashion-mnist 0.0~git20200523.55506a9-1
     * (/usr/share/datasets/fashion-mnist, whose .gz files were recompressed, so their MD5s differ) and
     * found identical in independent public lists of the upstream files' hashes.
     */
    public static final DatasetSpec SPEC = new DatasetSpec("fashion-mnist",
            List.of("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",       // torchvision
                    "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"),       // Keras
            List.of(new RemoteFile("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
                            "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888", -1),
                    new RemoteFile("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe",
                            "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9", -1),
                    new RemoteFile("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79",
                            "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b", -1),
                    new RemoteFile("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310",
                            "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34", -1)),
            List.of(Path.of("/usr/share/datasets/fashion-mnist")),
            List.of("FashionMNIST/raw", "fashion-mnist", "fashion_mnist"),
            List.of("Debian/Ubuntu: sudo apt-get install dataset-fashion-mnist (installs /usr/share/datasets/fashion-mnist)"));

    /** Mean of the training pixels in [0, 1]. */
    public static final double MEAN = 0.2860;
    /** Standard deviation of the training pixels in [0, 1]. */
    public static final double STD = 0.3530;

    private FashionMnist() {
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

    /** The normalisation by the training set's mean and standard deviation. */
    public static dev.ember.data.transforms.Normalize normalize() {
        return dev.ember.data.transforms.Normalize.of(MEAN, STD);
    }
}
