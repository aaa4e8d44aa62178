package dev.ember.train.tensorboard;

import dev.ember.tensor.DType;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.framework.HistogramProto;
import org.tensorflow.framework.Summary;
import org.tensorflow.util.Event;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Histograms read back with TensorFlow's HistogramProto and checked by brute force. */
class HistogramTest {
    @TempDir
    Path dir;

    /** TensorFlow's default edges, rebuilt here from their definition (histogram.cc). */
    private static Set<Double> tfEdges() {
        Set<Double> edges = new HashSet<>(List.of(-Double.MAX_VALUE, 0.0, Double.MAX_VALUE));
        for (double v = 1e-12; v < 1e20; v *= 1.1) {
            edges.add(v);
            edges.add(-v);
        }
        return edges;
    }

    /** Checks the summary statistics and that every bucket holds exactly the values of its range. */
    private static void assertHistogramOf(double[] values, HistogramProto h) {
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY, sum = 0, sumSq = 0;
        for (double v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
            sumSq += v * v;
        }
        assertEquals(min, h.getMin());
        assertEquals(max, h.getMax());
        assertEquals(values.length, h.getNum());
        assertEquals(sum, h.getSum(), 1e-9 * Math.max(1, Math.abs(sumSq)));
        assertEquals(sumSq, h.getSumSquares(), 1e-9 * Math.max(1, sumSq));
        int n = h.getBucketCount();
        assertEquals(n, h.getBucketLimitCount());
        Set<Double> edges = tfEdges();
        double total = 0;
        for (int i = 0; i < n; i++) {
            double lo = i == 0 ? Double.NEGATIVE_INFINITY : h.getBucketLimit(i - 1);
            double hi = h.getBucketLimit(i);
            assertTrue(edges.contains(hi), "limit " + hi + " is one of TensorFlow's edges");
            assertTrue(hi > lo, "limits increase");
            boolean last = i == n - 1;
            long expected = 0;
            for (double v : values) if (v >= lo && (v < hi || (last && v >= hi))) expected++;
            assertEquals(expected, h.getBucket(i), "bucket " + i + " [" + lo + ", " + hi + ")");
            if (i > 0) assertTrue(h.getBucket(i) > 0 || h.getBucket(i - 1) > 0, "empty runs are collapsed");
            total += h.getBucket(i);
        }
        assertEquals(values.length, total);
    }

    private HistogramProto writeAndRead(double[] values) throws IOException {
        Path run = dir.resolve("run" + System.nanoTime());
        try (SummaryWriter w = new SummaryWriter(run)) {
            w.addHistogram("h", values, 5);
        }
        List<Event> events = EventFiles.events(EventFiles.onlyEventFile(run));
        Summary.Value v = SummaryWriterTest.onlyValue(events.get(1));
        assertEquals("h", v.getTag());
        assertEquals(5, events.get(1).getStep());
        assertEquals(Summary.Value.ValueCase.HISTO, v.getValueCase());
        return v.getHisto();
    }

    @Test
    void randomValuesOfManyScalesLandInTheRightBuckets() throws IOException {
        Random r = new Random(3);
        for (int trial = 0; trial < 20; trial++) {
            double[] values = new double[1 + r.nextInt(2000)];
            double scale = Math.pow(10, r.nextInt(30) - 15);
            for (int i = 0; i < values.length; i++) values[i] = r.nextGaussian() * scale + (trial % 3 == 0 ? scale : 0);
            assertHistogramOf(values, writeAndRead(values));
        }
    }

    @Test
    void edgeValuesZerosEdgesInfinitiesAndHugeValues() throws IOException {
        double e0 = 1e-12;
        double[] values = {0.0, -0.0, e0, -e0, e0 * 1.1, 1e-300, -1e-300, 5e19, 1e25, -1e25, Double.MAX_VALUE,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1, 1, 1};
        assertHistogramOf(values, writeAndRead(values));
        double[] single = {42};
        HistogramProto h = writeAndRead(single);
        assertHistogramOf(single, h);
        assertEquals(3, h.getBucketCount(), "empty run, the value's bucket, empty run");
    }

    @Test
    void tensorAndFloatArrayInputsGiveTheSameHistogram() throws IOException {
        Tensor t = Tensor.randn(new Generator(9), Shape.of(30, 40), DType.FLOAT32);
        double[] asDoubles = t.toDoubleArray();
        Path run = dir.resolve("inputs");
        try (SummaryWriter w = new SummaryWriter(run)) {
            w.addHistogram("tensor", t, 1);
            w.addHistogram("floats", t.toFloatArray(), 1);
            w.addHistogram("strided", t.t(), 1); // a non-contiguous view: same multiset of values
        }
        List<Event> events = EventFiles.events(EventFiles.onlyEventFile(run));
        HistogramProto fromTensor = SummaryWriterTest.onlyValue(events.get(1)).getHisto();
        assertHistogramOf(asDoubles, fromTensor);
        assertEquals(fromTensor, SummaryWriterTest.onlyValue(events.get(2)).getHisto());
        HistogramProto strided = SummaryWriterTest.onlyValue(events.get(3)).getHisto();
        assertEquals(fromTensor.getBucketList(), strided.getBucketList());
        assertEquals(fromTensor.getBucketLimitList(), strided.getBucketLimitList());
    }

    @Test
    void noValuesOrNaNsAreClearErrors() {
        try (SummaryWriter w = new SummaryWriter(dir)) {
            var empty = assertThrows(IllegalArgumentException.class, () -> w.addHistogram("w", new double[0], 1));
            assertEquals("addHistogram(\"w\"): cannot make a histogram of no values", empty.getMessage());
            var nan = assertThrows(IllegalArgumentException.class,
                    () -> w.addHistogram("w", new float[] {1, Float.NaN, Float.NaN}, 1));
            assertEquals("addHistogram(\"w\"): 2 of 3 values are NaN (a histogram needs numbers; check for a diverged model)",
                    nan.getMessage());
        }
    }
}
