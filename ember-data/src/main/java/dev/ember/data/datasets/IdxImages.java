package dev.ember.data.datasets;

import dev.ember.data.download.DataOptions;
import dev.ember.data.download.DatasetLocator;
import dev.ember.data.download.DatasetSpec;
import dev.ember.data.download.RemoteFile;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Loads an MNIST-style pair of IDX files (images rank 3, labels rank 1) into an {@link ImageDataset}. */
final class IdxImages {
    private IdxImages() {
    }

    static ImageDataset load(DatasetSpec spec, Split split, DataOptions options, List<String> classes) {
        String prefix = split == Split.TRAIN ? "train" : "t10k";
        RemoteFile images = spec.file(prefix + "-images-idx3-ubyte.gz");
        RemoteFile labels = spec.file(prefix + "-labels-idx1-ubyte.gz");
        Map<String, Path> files = DatasetLocator.locate(spec, options);
        return fromFiles(spec.name() + "/" + split.name().toLowerCase(java.util.Locale.ROOT),
                files.get(images.name()), images.contentSha256(), files.get(labels.name()), labels.contentSha256(), classes);
    }

    /** Reads and cross-checks an images file and a labels file (SHA-256s of the decompressed bytes may be null). */
    static ImageDataset fromFiles(String name, Path imagesFile, String imagesSha256, Path labelsFile, String labelsSha256,
                                  List<String> classes) {
        Idx.Array img = Idx.read(imagesFile, 3, imagesSha256);
        Idx.Array lab = Idx.read(labelsFile, 1, labelsSha256);
        int n = img.dims()[0];
        if (lab.dims()[0] != n) {
            throw Idx.corrupt(labelsFile.toString(), lab.dims()[0] + " labels for the " + n + " images of " + imagesFile);
        }
        int[] y = new int[n];
        byte[] lb = lab.data();
        for (int i = 0; i < n; i++) {
            y[i] = lb[lab.offset() + i] & 0xff;
            if (y[i] >= classes.size()) {
                throw Idx.corrupt(labelsFile.toString(), "label " + y[i] + " of example " + i + " is outside 0.." + (classes.size() - 1));
            }
        }
        // Rank 3 [n, h, w] of bytes is already the HWC layout of one-channel images.
        return ImageDataset.of(name, img.offset() == 0 ? img.data() : img.copyData(), y, img.dims()[1], img.dims()[2], 1, classes);
    }
}
