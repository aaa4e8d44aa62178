package dev.ember.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ember bench model} runs each model in both modes and prints one parseable line (no timing asserted). */
class ModelBenchTest {
    private static String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            rc = Main.commandLine().execute(args);
        } finally {
            System.setOut(old);
        }
        assertEquals(0, rc, buf.toString(StandardCharsets.UTF_8));
        return buf.toString(StandardCharsets.UTF_8).strip();
    }

    @Test
    void trainsAndInfersEveryModel() {
        for (String model : new String[] {"mlp", "cnn", "resnet"}) {
            for (String mode : new String[] {"train", "infer"}) {
                String line = run("bench", "model", "--model", model, "--mode", mode, "--batch", "2", "--threads", "1",
                        "--iters", "2", "--min-time", "0", "--warmup", "0");
                String pattern = "model\\." + model + "\\." + mode + " batch=2 threads=1 median_ms=[0-9.]+ best_ms=[0-9.]+ "
                        + "images_per_second=[0-9.]+ peak_rss_mb=[0-9.]+ steps=2 warmup_s=[0-9.]+";
                assertTrue(line.matches(pattern), line);
            }
        }
    }

    @Test
    void peakRssIsPositiveOnLinux() {
        double mb = ModelBench.peakRssMb();
        assertTrue(Double.isNaN(mb) || mb > 1, "VmHWM " + mb);
    }

    @Test
    void rejectsUnknownModelsAndModes() {
        assertEquals(1, Main.commandLine().execute("bench", "model", "--model", "vgg"));
        assertEquals(1, Main.commandLine().execute("bench", "model", "--mode", "eval"));
        assertEquals(1, Main.commandLine().execute("bench", "model", "--batch", "0"));
    }
}
