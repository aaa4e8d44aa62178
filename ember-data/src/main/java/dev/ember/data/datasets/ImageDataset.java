package dev.ember.data.datasets;

import dev.ember.data.Batch;
import dev.ember.data.BatchedDataset;
import dev.ember.data.Dataset;
import dev.ember.data.Image;
import dev.ember.data.Sample;
import dev.ember.data.Stacking;
import dev.ember.data.Transform;
import dev.ember.data.transforms.PixelTable;
import dev.ember.data.transforms.ToTensor;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Equally sized labelled 8-bit images held in memory as one byte array (MNIST, Fashion-MNIST, CIFAR):
 * 60,000 Fashion-MNIST images take 47 MB. Each example is the image passed through a
 * {@link Transform} (by default {@link ToTensor}: a FLOAT32 CHW tensor in [0, 1]) with its class label.
 *
 * <p>When the transform is {@code ToTensor} optionally followed by {@code Normalize}s, the loader's
 * {@link #batch} converts a whole batch straight from the bytes into one float array through a
 * 256-entry table per channel, with no per-sample objects; other transforms run per sample.
 *
 * <pre>{@code
 * ImageDataset train = FashionMnist.load(Split.TRAIN).transform(Compose.of(new ToTensor(), Normalize.of(0.2860, 0.3530)));
 * Image first = train.image(0);          // raw 28x28x1
 * String name = train.classes().get(train.label(0));
 * }</pre>
 */
public final class ImageDataset implements BatchedDataset {
    private final String name;
    private final byte[] pixels;
    private final int[] labels;
    private final int height, width, channels;
    private final List<String> classes;
    private final Transform<Image, Tensor> transform;
    /** Per-channel byte-to-float table when the transform is pixelwise, else null. */
    private final float[][] table;

    private ImageDataset(String name, byte[] pixels, int[] labels, int height, int width, int channels,
                         List<String> classes, Transform<Image, Tensor> transform) {
        this.name = name;
        this.pixels = pixels;
        this.labels = labels;
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.classes = classes;
        this.transform = transform;
        this.table = PixelTable.of(transform, channels);
    }

    /**
     * Images from {@code pixels} in HWC order, image after image ({@code labels.length * h * w * c} bytes;
     * the array is used, not copied), with {@link ToTensor} as the transform.
     *
     * @param name names the dataset in messages
     * @param classes class names, index = label
     */
    public static ImageDataset of(String name, byte[] pixels, int[] labels, int height, int width, int channels, List<String> classes) {
        long expected = (long) labels.length * height * width * channels;
        if (pixels.length != expected) {
            throw new IllegalArgumentException(name + ": " + labels.length + " images of " + height + "x" + width + "x" + channels
                    + " need " + expected + " bytes, got " + pixels.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes.size()) {
                throw new IllegalArgumentException(name + ": label " + labels[i] + " of image " + i + " is outside 0.." + (classes.size() - 1));
            }
        }
        return new ImageDataset(name, pixels, labels, height, width, channels, List.copyOf(classes), new ToTensor());
    }

    /** The same images with another transform (shares the pixel array). */
    public ImageDataset transform(Transform<Image, Tensor> transform) {
        if (transform == null) throw new IllegalArgumentException(name + ": transform must not be null (use new ToTensor())");
        return new ImageDataset(name, pixels, labels, height, width, channels, classes, transform);
    }

    /** The transform applied to each image. */
    public Transform<Image, Tensor> transform() {
        return transform;
    }

    /** The dataset's name, e.g. "fashion-mnist/train". */
    public String name() {
        return name;
    }

    @Override
    public int size() {
        return labels.length;
    }

    /** Image height. */
    public int height() {
        return height;
    }

    /** Image width. */
    public int width() {
        return width;
    }

    /** Channels per pixel (1 or 3). */
    public int channels() {
        return channels;
    }

    /** Class names; label {@code k} is {@code classes().get(k)}. */
    public List<String> classes() {
        return classes;
    }

    /** The raw image {@code index} (a copy of its bytes). */
    public Image image(int index) {
        Dataset.checkIndex(index, labels.length, name);
        int n = height * width * channels;
        byte[] px = new byte[n];
        System.arraycopy(pixels, index * n, px, 0, n);
        return new Image(height, width, channels, px);
    }

    /** The class label of image {@code index}. */
    public int label(int index) {
        Dataset.checkIndex(index, labels.length, name);
        return labels[index];
    }

    /** All labels (a copy). */
    public int[] labels() {
        return labels.clone();
    }

    /** Images per class, index = label. */
    public int[] classCounts() {
        int[] counts = new int[classes.size()];
        for (int l : labels) counts[l]++;
        return counts;
    }

    @Override
    public Sample get(int index, Generator rng) {
        Image img = image(index);
        Tensor x;
        try {
            x = transform.apply(img, rng);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + ": transform failed on image " + index + ": " + e.getMessage(), e);
        }
        return Sample.of(x, labels[index]);
    }

    @Override
    public Batch batch(int[] indices, long[] seeds) {
        int b = indices.length;
        long[] y = new long[b];
        for (int k = 0; k < b; k++) y[k] = label(indices[k]);
        if (table == null) {
            List<Tensor> xs = new ArrayList<>(b);
            for (int k = 0; k < b; k++) xs.add(get(indices[k], new Generator(seeds[k])).x());
            return new Batch(Stacking.stack(xs, "x"), Tensor.of(y, b));
        }
        int hw = height * width, n = hw * channels;
        float[] out = new float[b * n];
        for (int k = 0; k < b; k++) {
            int src = indices[k] * n, dst = k * n;
            if (channels == 1) {
                float[] t = table[0];
                for (int p = 0; p < hw; p++) out[dst + p] = t[pixels[src + p] & 0xff];
            } else {
                // HWC bytes to CHW floats.
                for (int c = 0; c < channels; c++) {
                    float[] t = table[c];
                    int o = dst + c * hw;
                    for (int p = 0; p < hw; p++) out[o + p] = t[pixels[src + p * channels + c] & 0xff];
                }
            }
        }
        return new Batch(Tensor.wrap(out, b, channels, height, width), Tensor.of(y, b));
    }

    @Override
    public String toString() {
        return "ImageDataset(" + name + ", " + labels.length + " images " + height + "x" + width + "x" + channels
                + ", " + classes.size() + " classes, transform " + transform + ")";
    }
}
