package dev.ember.cli;

import dev.ember.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code ember train} end to end on a small generated image folder (three classes of coloured squares):
 * the run folder's files, the JSON summary as the last line, {@code --resume} continuing to the same
 * metrics as a run that never stopped, {@code evaluate} and {@code predict} on the result, and one-line
 * errors for bad arguments.
 */
class TrainCommandTest {
    @TempDir
    static Path tmp;
    static Path data;

    /** train/ and test/ with classes red, green, blue: 8x8 RGB images of a noisy dominant colour. */
    @BeforeAll
    static void makeDataset() throws IOException {
        data = tmp.resolve("squares");
        Random r = new Random(5);
        String[] classes = {"blue", "green", "red"};
        for (String split : List.of("train", "test")) {
            for (int c = 0; c < 3; c++) {
                Path dir = Files.createDirectories(data.resolve(split).resolve(classes[c]));
                for (int i = 0; i < (split.equals("train") ? 24 : 8); i++) {
                    BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
                    for (int y = 0; y < 8; y++) {
                        for (int x = 0; x < 8; x++) {
                            int[] rgb = {r.nextInt(90), r.nextInt(90), r.nextInt(90)};
                            rgb[2 - c] += 120 + r.nextInt(40);
                            img.setRGB(x, y, rgb[0] << 16 | rgb[1] << 8 | rgb[2]);
                        }
                    }
                    ImageIO.write(img, "png", dir.resolve(i + ".png").toFile());
                }
            }
        }
    }

    record Run(int exitCode, String out, String err) {
        Map<String, Object> summary() {
            String[] lines = out.strip().split("\n");
            return Json.parseObject(lines[lines.length - 1]);
        }
    }

    static Run ember(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int rc;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            rc = Main.run(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String[] train(Path run, String... extra) {
        List<String> a = new java.util.ArrayList<>(List.of("train", "--dataset", data.toString(), "--model", "mlp", "--batch-size", "16",
                "--lr", "0.02", "--threads", "1", "--json", "--run-dir", run.toString()));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void trainsWritesTheRunFolderAndResumesExactly() throws IOException {
        Path straight = tmp.resolve("straight");
        Run full = ember(train(straight, "--epochs", "3", "--schedule", "constant"));
        assertEquals(0, full.exitCode(), full.out() + full.err());
        for (String f : List.of("model.safetensors", "checkpoint.safetensors", "metrics.csv", "config.json", "report.html")) {
            assertTrue(Files.isRegularFile(straight.resolve(f)), f + " missing in the run folder");
        }
        try (var s = Files.list(straight)) {
            assertTrue(s.anyMatch(p -> p.getFileName().toString().startsWith("events.out.tfevents.")), "TensorBoard event file");
        }
        Map<String, Object> config = Json.parseObject(Files.readString(straight.resolve("config.json")));
        assertEquals(true, config.get("nesterov"), "sgd's default is Nesterov momentum: " + config);
        assertEquals(0.9, ((Number) config.get("momentum")).doubleValue());
        Map<String, Object> summary = full.summary();
        assertEquals(3, ((Number) summary.get("epochs")).intValue());
        assertTrue(((Number) ((Map<?, ?>) summary.get("test")).get("accuracy")).doubleValue() > 0.9, full.out());

        Path split = tmp.resolve("split");
        Run first = ember(train(split, "--epochs", "1", "--schedule", "constant"));
        assertEquals(0, first.exitCode(), first.out() + first.err());
        Run rest = ember("train", "--resume", split.toString(), "--epochs", "3", "--threads", "1", "--json");
        assertEquals(0, rest.exitCode(), rest.out() + rest.err());
        assertTrue(rest.out().contains("Resuming " + split + " after epoch 1 of 3"), rest.out());
        assertEquals(Files.readString(straight.resolve("metrics.csv")), Files.readString(split.resolve("metrics.csv")),
                "an interrupted and resumed run gives the same per-epoch losses, accuracies and learning rates");
        assertEquals(summary.get("test"), rest.summary().get("test"));
        Run again = ember("train", "--resume", split.toString(), "--threads", "1");
        assertEquals(1, again.exitCode());
        assertEquals("ember: the run in " + split + " has already trained 3 epochs; pass --epochs with a larger total to train further",
                again.err().strip());

        Run eval = ember("evaluate", "--checkpoint", split.resolve("model.safetensors").toString(), "--dataset", data.toString(), "--json");
        assertEquals(0, eval.exitCode(), eval.out() + eval.err());
        assertEquals(((Map<?, ?>) summary.get("test")).get("accuracy"), ((Map<?, ?>) eval.summary().get("test")).get("accuracy"));
        Run pred = ember("predict", "--checkpoint", split.resolve("model.safetensors").toString(), "--top", "1",
                data.resolve("test/red/0.png").toString());
        assertEquals(0, pred.exitCode(), pred.out() + pred.err());
        assertTrue(pred.out().contains("0.png: red "), pred.out());
    }

    @Test
    void badArgumentsGiveOneClearLine() {
        Run r = ember("train", "--epochs", "0");
        assertEquals(1, r.exitCode());
        assertEquals("ember: --epochs must be at least 1, got 0", r.err().strip());
        r = ember("train", "--model", "vgg");
        assertTrue(r.err().strip().startsWith("ember: unknown model 'vgg'"), r.err());
        r = ember("train", "--resume", tmp.resolve("nothing").toString());
        assertEquals("ember: --resume " + tmp.resolve("nothing") + ": no such run folder", r.err().strip());
        r = ember("train", "--resume", tmp.toString(), "--lr", "0.1");
        assertTrue(r.err().contains("--lr cannot be combined with --resume"), r.err());
        r = ember("train", "--optimizer", "adam", "--no-nesterov");
        assertEquals("ember: --nesterov applies to --optimizer sgd only, not adam", r.err().strip());
        r = ember("train", "--optimizer", "adamw", "--nesterov");
        assertEquals("ember: --nesterov applies to --optimizer sgd only, not adamw", r.err().strip());
        r = ember("train", "--resume", tmp.toString(), "--no-nesterov");
        assertTrue(r.err().contains("--nesterov cannot be combined with --resume"), r.err());
        r = ember("train", "--schedule", "step");
        assertEquals("ember: unknown schedule 'step' (choose cosine or constant)", r.err().strip());
        r = ember("train", "--resume", data.toString());
        assertTrue(r.err().contains("not a run folder with a checkpoint (needs config.json and checkpoint.safetensors)"), r.err());
        r = ember("train", "--dataset", tmp.resolve("missing").toString());
        assertTrue(r.err().contains("unknown dataset"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace without --debug: " + r.err());
    }
}
