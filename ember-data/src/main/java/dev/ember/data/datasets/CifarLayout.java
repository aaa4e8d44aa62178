package dev.ember.data.datasets;

import java.util.List;

/**
 * The layout of a CIFAR binary archive: each file is a sequence of records of {@code labelBytes}
 * label bytes followed by 3072 pixel bytes (1024 red, then 1024 green, then 1024 blue, rows top to
 * bottom) of a 32x32 image.
 *
 * @param dirName folder inside the archive holding the files, e.g. {@code cifar-10-batches-bin}
 * @param trainFiles the training files, in order
 * @param testFile the test file
 * @param labelBytes label bytes per record (1 for CIFAR-10; 2 for CIFAR-100: coarse, then fine)
 * @param recordsPerTrainFile records expected in each training file
 * @param testRecords records expected in the test file
 */
public record CifarLayout(String dirName, List<String> trainFiles, String testFile, int labelBytes,
                          int recordsPerTrainFile, int testRecords) {
    /** Bytes of one image. */
    public static final int IMAGE_BYTES = 3 * 32 * 32;

    public CifarLayout {
        trainFiles = List.copyOf(trainFiles);
    }

    /** CIFAR-10's binary version: five training batches of 10,000 and a test batch of 10,000. */
    public static final CifarLayout CIFAR10 = new CifarLayout("cifar-10-batches-bin",
            List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"),
            "test_batch.bin", 1, 10_000, 10_000);

    /** CIFAR-100's binary version: 50,000 training and 10,000 test records with coarse and fine labels. */
    public static final CifarLayout CIFAR100 = new CifarLayout("cifar-100-binary", List.of("train.bin"), "test.bin", 2, 50_000, 10_000);

    /** Bytes of one record. */
    public int recordBytes() {
        return labelBytes + IMAGE_BYTES;
    }

    /** The files of a split. */
    public List<String> files(Split split) {
        return split == Split.TRAIN ? trainFiles : List.of(testFile);
    }

    /** Records expected in each file of a split. */
    public int recordsPerFile(Split split) {
        return split == Split.TRAIN ? recordsPerTrainFile : testRecords;
    }

    /** The same layout expecting other record counts (for small test archives). */
    public CifarLayout withRecords(int perTrainFile, int test) {
        return new CifarLayout(dirName, trainFiles, testFile, labelBytes, perTrainFile, test);
    }
}
