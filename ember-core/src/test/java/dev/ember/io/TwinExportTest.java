package dev.ember.io;

import dev.ember.autograd.Grad;
import dev.ember.nn.BatchNorm1d;
import dev.ember.nn.Dropout;
import dev.ember.nn.LayerNorm;
import dev.ember.nn.Linear;
import dev.ember.nn.ReLU;
import dev.ember.nn.Sequential;
import dev.ember.optim.Adam;
import dev.ember.tensor.DType;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Ember half of the PyTorch twin check (tools/twin): trains a small model, saves its weights
 * as a plain {@code model.safetensors} and the inputs with Ember's eval-mode predictions as
 * {@code twin_io.safetensors}. tools/twin/check_twin.py builds the same architecture in PyTorch,
 * loads the weights with {@code strict=True} and compares predictions.
 *
 * <p>With {@code -Dember.twin.out=DIR} the files go to DIR (tools/twin/run.sh does that); in the
 * normal test suite they go to a temporary folder and the test checks the Ember side alone:
 * training lowers the loss, and the saved weights reload into a fresh model that predicts the
 * same values bit for bit.
 */
@Tag("twin")
class TwinExportTest {
    static final int IN = 20;
    static final int HIDDEN = 32;
    static final int CLASSES = 5;

    @TempDir
    Path tmp;

    /** The architecture; check_twin.py's {@code twin()} must build the same layers in the same order. */
    static Sequential twin() {
        return new Sequential(
                new Linear(IN, HIDDEN), new BatchNorm1d(HIDDEN), new ReLU(), new Dropout(0.2),
                new Linear(HIDDEN, HIDDEN), new LayerNorm(HIDDEN), new ReLU(),
                new Linear(HIDDEN, CLASSES));
    }

    static Tensor crossEntropy(Tensor logits, Tensor labels) {
        return logits.logSoftmax(1).gather(1, labels.unsqueeze(1)).neg().mean();
    }

    @Test
    void trainsSavesAndExportsPredictions() throws IOException {
        String prop = System.getProperty("ember.twin.out");
        Path out = prop == null || prop.isBlank() ? tmp : Path.of(prop);
        Files.createDirectories(out);

        long[] globalState = Generator.global().state();
        try {
            export(out);
        } finally {
            Generator.global().setState(globalState);
        }
    }

    private void export(Path out) throws IOException {
        Generator.global().manualSeed(2024); // initial weights and dropout masks
        Generator data = new Generator(77);
        // A learnable rule: the label is the argmax of a fixed random projection of the input.
        Tensor rule = Tensor.randn(data, Shape.of(IN, CLASSES), DType.FLOAT32);
        Sequential model = twin();
        Adam opt = new Adam(model.parameters(), 0.01);

        double first = 0, last = 0;
        int steps = 40;
        for (int step = 0; step < steps; step++) {
            Tensor x = Tensor.randn(data, Shape.of(32, IN), DType.FLOAT32);
            Tensor y = x.matmul(rule).argmax(1, false);
            opt.zeroGrad();
            Tensor loss = crossEntropy(model.call(x), y);
            loss.backward();
            opt.step();
            if (step == 0) first = loss.item();
            last = loss.item();
        }
        System.out.printf("twin: trained %d steps, loss %.4f -> %.4f%n", steps, first, last);
        assertTrue(last < first * 0.7, "training should lower the loss: " + first + " -> " + last);

        model.eval();
        // Inputs of a larger scale than training's, so BatchNorm's running statistics matter.
        Tensor x = Tensor.randn(data, Shape.of(64, IN), DType.FLOAT32).mul(1.5);
        Tensor logits;
        try (var off = Grad.off()) {
            logits = model.call(x);
        }

        Path weights = out.resolve("model.safetensors");
        // "format": "pt" is what Hugging Face's torch writer records; tools use it to pick the framework.
        Checkpoint.saveWeights(model, weights, Map.of("format", "pt", "producer", "ember TwinExportTest"));
        Map<String, Tensor> io = new LinkedHashMap<>();
        io.put("x", x);
        io.put("logits", logits);
        io.put("predicted", logits.argmax(1, false));
        SafeTensors.write(out.resolve("twin_io.safetensors"), io, Map.of("train_loss_first", Double.toString(first),
                "train_loss_last", Double.toString(last)));

        // The Ember side of the round trip: a fresh model with other weights, loaded, predicts the same bits.
        Generator.global().manualSeed(1);
        Sequential reloaded = twin();
        Checkpoint.loadWeights(reloaded, weights);
        reloaded.eval();
        try (var off = Grad.off()) {
            assertArrayEquals(logits.toFloatArray(), reloaded.call(x).toFloatArray());
        }
        SafeTensors read = SafeTensors.read(out.resolve("twin_io.safetensors"));
        assertArrayEquals(x.toFloatArray(), read.get("x").toFloatArray());
        assertEquals(DType.INT64, read.get("predicted").dtype());
        System.out.println("twin: wrote " + weights + " and " + out.resolve("twin_io.safetensors"));
    }
}
