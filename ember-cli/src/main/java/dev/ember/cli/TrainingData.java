package dev.ember.cli;

import dev.ember.data.Dataset;
import dev.ember.data.Image;
import dev.ember.data.Sample;
import dev.ember.data.Transform;
import dev.ember.data.datasets.Cifar10;
import dev.ember.data.datasets.FashionMnist;
import dev.ember.data.datasets.ImageDataset;
import dev.ember.data.datasets.ImageFolder;
import dev.ember.data.datasets.Mnist;
import dev.ember.data.datasets.Split;
import dev.ember.data.download.DataOptions;
import dev.ember.data.transforms.Normalize;
import dev.ember.data.transforms.Resize;
import dev.ember.data.transforms.ToTensor;
import dev.ember.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The datasets {@code ember train} knows by name, loaded with the transforms the CLI uses
 * ({@code ToTensor} + {@code Normalize} with the dataset's statistics), plus what the model and the
 * report need to know about them.
 *
 * @param name     the dataset's name as given
 * @param train    training examples
 * @param test     test examples
 * @param classes  class names, index = label
 * @param channels input channels
 * @param height   input height
 * @param width    input width
 * @param mean     per-channel normalisation mean
 * @param std      per-channel normalisation standard deviation
 */
record TrainingData(String name, Dataset<Sample> train, Dataset<Sample> test, List<String> classes, int channels, int height,
                    int width, double[] mean, double[] std) {

    static final String NAMES = "fashion-mnist, mnist, cifar10 or a folder with train/ and test/ sub-folders of class folders";

    /** Loads {@code name} (a known dataset or an image folder), looking in {@code dataDir} first when given. */
    static TrainingData load(String name, Path dataDir) throws IOException {
        DataOptions options = DataOptions.defaults().withRoot(dataDir);
        return switch (name) {
            case "fashion-mnist" -> images(name, FashionMnist.load(Split.TRAIN, options), FashionMnist.load(Split.TEST, options),
                    new double[] {FashionMnist.MEAN}, new double[] {FashionMnist.STD});
            case "mnist" -> images(name, Mnist.load(Split.TRAIN, options), Mnist.load(Split.TEST, options),
                    new double[] {Mnist.MEAN}, new double[] {Mnist.STD});
            case "cifar10", "cifar-10" -> images(name, Cifar10.load(Split.TRAIN, options), Cifar10.load(Split.TEST, options),
                    Cifar10.MEAN, Cifar10.STD);
            default -> {
                Path root = Path.of(name);
                if (!Files.isDirectory(root)) {
                    throw new IllegalArgumentException("unknown dataset '" + name + "' (use " + NAMES + ")");
                }
                yield folder(name, root);
            }
        };
    }

    private static TrainingData images(String name, ImageDataset train, ImageDataset test, double[] mean, double[] std) {
        Transform<Image, Tensor> t = new ToTensor().andThen(Normalize.of(mean, std));
        return new TrainingData(name, train.transform(t), test.transform(t), train.classes(), train.channels(), train.height(),
                train.width(), mean, std);
    }

    /** An image folder: RGB, resized to the size of the first training image, normalised with 0.5/0.5. */
    private static TrainingData folder(String name, Path root) {
        Path trainDir = root.resolve("train"), testDir = root.resolve("test");
        if (!Files.isDirectory(trainDir) || !Files.isDirectory(testDir)) {
            throw new IllegalArgumentException("dataset folder " + root + " needs train/ and test/ sub-folders, each with one folder per class");
        }
        ImageFolder train = ImageFolder.of(trainDir, 3);
        ImageFolder test = ImageFolder.of(testDir, 3);
        if (train.size() == 0 || test.size() == 0) {
            throw new IllegalArgumentException("dataset folder " + root + ": no images found in " + (train.size() == 0 ? trainDir : testDir));
        }
        if (!train.classes().equals(test.classes())) {
            throw new IllegalArgumentException("dataset folder " + root + ": train classes " + train.classes() + " differ from test classes " + test.classes());
        }
        Image first = train.image(0);
        double[] mean = {0.5, 0.5, 0.5}, std = {0.5, 0.5, 0.5};
        Transform<Image, Tensor> t = new Resize(first.height(), first.width()).andThen(new ToTensor()).andThen(Normalize.of(mean, std));
        return new TrainingData(name, train.transform(t), test.transform(t), train.classes(), 3, first.height(), first.width(), mean, std);
    }
}
