package dev.ember.data.datasets;

import dev.ember.data.Dataset;
import dev.ember.data.Image;
import dev.ember.data.Sample;
import dev.ember.data.Transform;
import dev.ember.data.transforms.ToTensor;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Tensor;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Images in one sub-folder per class (torchvision's {@code ImageFolder}): {@code root/cat/001.png},
 * {@code root/dog/xyz.jpg}, ... Classes are the sub-folder names in sorted order; images (PNG, JPEG,
 * BMP, GIF, read with {@code javax.imageio}) are decoded on each {@link #get}, on the loader's workers,
 * so the folder may be larger than memory. Images may differ in size: add a {@code Resize} or
 * {@code CenterCrop} to the transform before batching.
 *
 * <pre>{@code
 * var ds = ImageFolder.of(Path.of("flowers/train"), 3).transform(Compose.of(new RandomResizedCrop(224), new ToTensor()));
 * }</pre>
 */
public final class ImageFolder implements Dataset<Sample> {
    /** File extensions read as images (lower case). */
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    private final Path root;
    private final List<String> classes;
    private final List<Path> files;
    private final int[] labels;
    private final int channels;
    private final Transform<Image, Tensor> transform;

    private ImageFolder(Path root, List<String> classes, List<Path> files, int[] labels, int channels, Transform<Image, Tensor> transform) {
        this.root = root;
        this.classes = classes;
        this.files = files;
        this.labels = labels;
        this.channels = channels;
        this.transform = transform;
    }

    /**
     * Scans {@code root}: every sub-folder is a class, every image file below it (recursively) an example.
     *
     * @param channels 3 to decode as RGB, 1 as gray
     */
    public static ImageFolder of(Path root, int channels) {
        if (channels != 1 && channels != 3) throw new IllegalArgumentException("ImageFolder: channels must be 1 or 3, got " + channels);
        if (!Files.isDirectory(root)) {
            throw new UncheckedIOException(root + ": ImageFolder root is not a folder", new java.io.FileNotFoundException(root.toString()));
        }
        List<String> classes = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted()
                    .forEach(classes::add);
            for (int c = 0; c < classes.size(); c++) {
                try (Stream<Path> walk = Files.walk(root.resolve(classes.get(c)))) {
                    List<Path> imgs = walk.filter(Files::isRegularFile).filter(ImageFolder::isImage).sorted().toList();
                    for (Path p : imgs) {
                        files.add(p);
                        labels.add(c);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(root + ": cannot scan: " + e.getMessage(), e);
        }
        if (classes.isEmpty()) {
            throw new UncheckedIOException(root + ": no class sub-folders found (expected root/<class>/<image>.png)",
                    new java.io.FileNotFoundException(root.toString()));
        }
        if (files.isEmpty()) {
            throw new UncheckedIOException(root + ": no images (" + String.join(", ", EXTENSIONS) + ") in the class folders " + classes,
                    new java.io.FileNotFoundException(root.toString()));
        }
        return new ImageFolder(root, List.copyOf(classes), List.copyOf(files), labels.stream().mapToInt(Integer::intValue).toArray(),
                channels, new ToTensor());
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** The same images with another transform. */
    public ImageFolder transform(Transform<Image, Tensor> transform) {
        return new ImageFolder(root, classes, files, labels, channels, transform);
    }

    /** Class names (sub-folder names, sorted); label {@code k} is {@code classes().get(k)}. */
    public List<String> classes() {
        return classes;
    }

    /** The image file of example {@code index}. */
    public Path file(int index) {
        Dataset.checkIndex(index, files.size(), "ImageFolder " + root);
        return files.get(index);
    }

    /** The label of example {@code index}. */
    public int label(int index) {
        Dataset.checkIndex(index, files.size(), "ImageFolder " + root);
        return labels[index];
    }

    /** Decodes image {@code index}. */
    public Image image(int index) {
        Path f = file(index);
        BufferedImage img;
        try {
            img = ImageIO.read(f.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(f + ": cannot decode image: " + e.getMessage(), e);
        }
        if (img == null) {
            throw new UncheckedIOException(f + ": not a readable image (no javax.imageio reader accepts it)", new IOException("unreadable image"));
        }
        return Image.fromBufferedImage(img, channels);
    }

    @Override
    public int size() {
        return files.size();
    }

    @Override
    public Sample get(int index, Generator rng) {
        Image img = image(index);
        try {
            return Sample.of(transform.apply(img, rng), labels[index]);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file(index) + ": transform failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "ImageFolder(" + root + ", " + files.size() + " images, " + classes.size() + " classes)";
    }
}
