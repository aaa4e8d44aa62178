package dev.ember.train;

import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsTest {
    // Scores for 4 samples over 3 classes: predictions 2, 0, 1, 1.
    private static final Tensor SCORES = Tensor.of(new float[] {0.1f, 0.2f, 0.7f, 0.8f, 0.1f, 0.1f, 0.2f, 0.5f, 0.3f, 0.3f, 0.4f, 0.3f}, 4, 3);
    private static final Tensor TARGET = Tensor.of(new long[] {2, 0, 2, 1});

    @Test
    void accuracyIsStreaming() {
        Metric acc = Metrics.accuracy();
        assertTrue(Double.isNaN(acc.result()));
        acc.update(SCORES, TARGET);
        assertEquals(0.75, acc.result());
        acc.update(SCORES.narrow(0, 0, 1), TARGET.narrow(0, 0, 1));
        assertEquals(4.0 / 5, acc.result());
        acc.reset();
        assertTrue(Double.isNaN(acc.result()));
    }

    @Test
    void topK() {
        Metric top2 = Metrics.topKAccuracy(2);
        top2.update(SCORES, TARGET);
        assertEquals(1.0, top2.result()); // sample 2's target (class 2, score .3) is second best
        assertEquals("top2_accuracy", top2.name());
    }

    @Test
    void confusionPrecisionRecallF1() {
        ConfusionMatrix cm = Metrics.confusionMatrix(3);
        cm.update(SCORES, TARGET);
        assertArrayEquals(new long[] {1, 0, 0}, cm.matrix()[0]);
        assertArrayEquals(new long[] {0, 1, 0}, cm.matrix()[1]);
        assertArrayEquals(new long[] {0, 1, 1}, cm.matrix()[2]);
        assertEquals(0.5, cm.precision(1));
        assertEquals(0.5, cm.recall(2));
        Metric p = Metrics.precision(3), r = Metrics.recall(3), f = Metrics.f1(3);
        for (Metric m : new Metric[] {p, r, f}) m.update(SCORES, TARGET);
        assertEquals((1 + 0.5 + 1) / 3, p.result(), 1e-12);
        assertEquals((1 + 1 + 0.5) / 3, r.result(), 1e-12);
        assertEquals((1 + 2 * 0.5 / 1.5 + 2 * 0.5 / 1.5) / 3, f.result(), 1e-12);
    }

    @Test
    void mismatchedShapesAreReported() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Metrics.accuracy().update(SCORES, Tensor.of(new long[] {1, 2})));
        assertTrue(e.getMessage().startsWith("accuracy: 4 predictions but target has shape [2]"), e.getMessage());
    }

    @Test
    void meanIsWeighted() {
        MeanMetric m = Metrics.mean("loss");
        m.add(1.0, 3);
        m.add(2.0, 1);
        assertEquals(1.25, m.result());
    }

    @Test
    void logsPrintLikeKeras() {
        Logs logs = Logs.of(Map.of("loss", 0.35)).with("accuracy", 0.87);
        assertEquals("loss: 0.3500 - accuracy: 0.8700", logs.toString());
        assertEquals("loss: 0.3500 - accuracy: 0.8700 - val_loss: 0.4000", logs.withAll("val_", Logs.of(Map.of("loss", 0.4))).toString());
    }

    @Test
    void progressBarNonTerminalPrintsOneFinalLine() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Progbar bar = new Progbar(3, new PrintStream(buf, true, StandardCharsets.UTF_8), false);
        for (int i = 1; i <= 3; i++) bar.update(i, Logs.of(Map.of("loss", 0.5)));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(1, out.lines().count(), out);
        assertTrue(out.matches("3/3 \\[=+] - \\d+s \\d+us/step - loss: 0\\.5000\\R"), out);
    }

    @Test
    void progressBarShape() {
        Progbar bar = new Progbar(469, System.out, true);
        assertEquals("117/469 [======>.......................]", bar.bar(117));
        assertEquals("469/469 [==============================]", bar.bar(469));
        assertEquals("12s", Progbar.formatDuration(12.3));
        assertEquals("25ms/step", Progbar.formatPerStep(0.025));
    }
}
