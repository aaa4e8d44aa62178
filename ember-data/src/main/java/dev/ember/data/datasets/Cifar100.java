package dev.ember.data.datasets;

import dev.ember.data.download.DataOptions;
import dev.ember.data.download.DatasetSpec;
import dev.ember.data.download.RemoteFile;

import java.util.List;

/**
 * CIFAR-100 (Krizhevsky 2009): 32x32 colour images in 100 fine classes grouped into 20 coarse ones,
 * 50,000 for training and 10,000 for testing, from the binary version ({@code cifar-100-binary.tar.gz}).
 * Located like {@link Cifar10}.
 */
public final class Cifar100 {
    /** Which of the two labels of each image to use. */
    public enum Labels {
        /** The 100 fine classes. */
        FINE,
        /** The 20 superclasses. */
        COARSE
    }

    /** Fine class names, index = label (as in the archive's fine_label_names.txt). */
    public static final List<String> FINE_CLASSES = List.of("apple", "aquarium_fish", "baby", "bear", "beaver", "bed",
            "bee", "beetle", "bicycle", "bottle", "bowl", "boy", "bridge", "bus", "butterfly", "camel", "can", "castle",
            "caterpillar", "cattle", "chair", "chimpanzee", "clock", "cloud", "cockroach", "couch", "crab", "crocodile",
            "cup", "dinosaur", "dolphin", "elephant", "flatfish", "forest", "fox", "girl", "hamster", "house", "kangaroo",
            "keyboard", "lamp", "lawn_mower", "leopard", "lion", "lizard", "lobster", "man", "maple_tree", "motorcycle",
            "mountain", "mouse", "mushroom", "oak_tree", "orange", "orchid", "otter", "palm_tree", "pear", "pickup_truck",
            "pine_tree", "plain", "plate", "poppy", "porcupine", "possum", "rabbit", "raccoon", "ray", "road", "rocket",
            "rose", "sea", "seal", "shark", "shrew", "skunk", "skyscraper", "snail", "snake", "spider", "squirrel",
            "streetcar", "sunflower", "sweet_pepper", "table", "tank", "telephone", "television", "tiger", "tractor",
            "train", "trout", "tulip", "turtle", "wardrobe", "whale", "willow_tree", "wolf", "woman", "worm");

    /** Coarse class names, index = label (as in the archive's coarse_label_names.txt). */
    public static final List<String> COARSE_CLASSES = List.of("aquatic_mammals", "fish", "flowers", "food_containers",
            "fruit_and_vegetables", "household_electrical_devices", "household_furniture", "insects", "large_carnivores",
            "large_man-made_outdoor_things", "large_natural_outdoor_scenes", "large_omnivores_and_herbivores",
            "medium_mammals", "non-insect_invertebrates", "people", "reptiles", "small_mammals", "trees", "vehicles_1",
            "vehicles_2");

    /** The published archive: URL and MD5 from https://www.cs.toronto.edu/~kriz/cifar.html (checked against public copies). */
    public static final DatasetSpec SPEC = new DatasetSpec("cifar-100", List.of("https://www.cs.toronto.edu/~kriz/"),
            List.of(new RemoteFile("cifar-100-binary.tar.gz", "03b5dce01913d631647c71ecec9e9cb8", null, 168_513_733L)),
            List.of(), List.of("cifar100", "CIFAR100"), List.of());

    private Cifar100() {
    }

    /** The split with fine labels, found or downloaded with {@link DataOptions#defaults()}. */
    public static ImageDataset load(Split split) {
        return load(split, Labels.FINE, DataOptions.defaults());
    }

    /** The split with the chosen labels, found or downloaded with {@code options}. */
    public static ImageDataset load(Split split, Labels labels, DataOptions options) {
        return load(SPEC, CifarLayout.CIFAR100, split, labels, options);
    }

    /** The split of an archive described by {@code spec} with the given layout. */
    public static ImageDataset load(DatasetSpec spec, CifarLayout layout, Split split, Labels labels, DataOptions options) {
        return CifarLoader.load(spec, layout, split, options, labels == Labels.FINE ? 1 : 0,
                labels == Labels.FINE ? FINE_CLASSES : COARSE_CLASSES, spec.name());
    }
}
