package dev.ember.cli;

import dev.ember.autograd.Grad;
import dev.ember.data.Image;
import dev.ember.data.transforms.Normalize;
import dev.ember.data.transforms.Resize;
import dev.ember.data.transforms.ToTensor;
import dev.ember.io.Json;
import dev.ember.ops.Joining;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ember predict --checkpoint runs/.../model.safetensors shoe.png shirt.jpg}: the top-k classes of
 * each image. Images are converted to the model's channels, resized to its input size and normalised as
 * in training.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, description = "Classify image files with a trained model.")
final class PredictCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, description = "model.safetensors written by ember train.")
    Path checkpoint;

    @Option(names = "--top", description = "Classes to show per image. Default: ${DEFAULT-VALUE}.", defaultValue = "3")
    int top;

    @Option(names = "--json", description = "Print the predictions as JSON as the last line of output.")
    boolean json;

    @Option(names = "--debug", description = "Show stack traces of errors.")
    boolean debug;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "PNG, JPEG, BMP or GIF files.")
    List<Path> images;

    @Override
    public Integer call() throws Exception {
        if (top < 1) throw new IllegalArgumentException("--top must be at least 1, got " + top);
        SavedModel saved = SavedModel.load(checkpoint);
        int k = Math.min(top, saved.classes().size());
        List<Tensor> xs = new ArrayList<>();
        Generator unused = new Generator(0);
        for (Path p : images) {
            Image img = Image.fromBufferedImage(read(p), saved.channels());
            img = new Resize(saved.height(), saved.width()).apply(img, unused);
            xs.add(Normalize.of(saved.mean(), saved.std()).apply(new ToTensor().apply(img, unused), unused));
        }
        Tensor probs;
        try (var g = Grad.inference()) {
            probs = saved.model().call(Joining.stack(xs, 0)).softmax(1);
        }
        List<Object> results = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            double[] p = probs.select(0, i).toDoubleArray();
            Integer[] order = new Integer[p.length];
            for (int c = 0; c < p.length; c++) order[c] = c;
            java.util.Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
            StringBuilder line = new StringBuilder(images.get(i).toString()).append(':');
            List<Object> ranked = new ArrayList<>();
            for (int j = 0; j < k; j++) {
                String name = saved.classes().get(order[j]);
                line.append(String.format(Locale.ROOT, "%s %s %.4f", j == 0 ? "" : ",", name, p[order[j]]));
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("class", name);
                e.put("index", order[j]);
                e.put("probability", p[order[j]]);
                ranked.add(e);
            }
            System.out.println(line);
            results.add(Map.of("image", images.get(i).toString(), "top", ranked));
        }
        if (json) System.out.println(Json.write(results));
        return 0;
    }

    private static BufferedImage read(Path p) throws IOException {
        if (!Files.isRegularFile(p)) throw new IOException("image " + p + " does not exist");
        BufferedImage img;
        try {
            img = ImageIO.read(p.toFile());
        } catch (IOException e) {
            throw new IOException("cannot read image " + p + ": " + e.getMessage(), e);
        }
        if (img == null) throw new IOException("cannot read image " + p + ": not a PNG, JPEG, BMP or GIF file");
        return img;
    }
}
