package dev.ember.kernels.cpu;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link FloatKernels#maxPool2x2} in every implementation against the sequential PyTorch rule written out
 * here, values and indices together and each alone (same bits): planes of many sizes (window counts around the vector width), plane offsets, values
 * with heavy ties (ReLU zeros, small integers) and NaN / infinities.
 */
class PoolKernelsTest {
    static List<Named<FloatKernels>> kernels() {
        return KernelImplementations.all();
    }

    private static long reference(float[] x, int plane, int w, int t) {
        int[] order = {t, t + 1, t + w, t + w + 1};
        float max = Float.NEGATIVE_INFINITY;
        int best = t;
        for (int i : order) {
            float v = x[plane + i];
            if (v > max || Float.isNaN(v)) {
                max = v;
                best = i;
            }
        }
        return best;
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void matchesTheSequentialRule(FloatKernels k) {
        Random r = new Random(17);
        float[] small = {0f, 0f, 0f, 1f, 2f, -0f};
        for (int round = 0; round < 300; round++) {
            int h = 2 + r.nextInt(30), w = 2 + r.nextInt(30), ho = h / 2, wo = w / 2, plane = r.nextInt(7);
            float[] x = new float[plane + h * w];
            int kind = round % 3;
            for (int i = 0; i < x.length; i++) {
                x[i] = switch (kind) {
                    case 0 -> small[r.nextInt(small.length)];
                    case 1 -> (float) r.nextGaussian();
                    default -> r.nextInt(20) == 0 ? KernelImplementations.SPECIALS[r.nextInt(KernelImplementations.SPECIALS.length)]
                            : (float) r.nextGaussian();
                };
            }
            int[] topLeft = new int[ho * wo];
            for (int oh = 0, q = 0; oh < ho; oh++) {
                for (int ow = 0; ow < wo; ow++) topLeft[q++] = 2 * oh * w + 2 * ow;
            }
            int out = r.nextInt(3), vo = r.nextInt(3);
            long[] idx = new long[out + topLeft.length], idxAlone = new long[idx.length];
            float[] vals = new float[vo + topLeft.length], valsAlone = new float[vals.length];
            k.maxPool2x2(x, plane, w, topLeft, topLeft.length, vals, vo, idx, out);
            k.maxPool2x2(x, plane, w, topLeft, topLeft.length, null, 0, idxAlone, out);
            k.maxPool2x2(x, plane, w, topLeft, topLeft.length, valsAlone, vo, null, 0);
            for (int q = 0; q < topLeft.length; q++) {
                String at = "round " + round + " (" + h + "x" + w + ") window " + q;
                long best = reference(x, plane, w, topLeft[q]);
                assertEquals(best, idx[out + q], at);
                assertEquals(best, idxAlone[out + q], at + ", indices alone");
                // Bit patterns: -0.0 and 0.0 and NaN payloads must match the element the index names.
                assertEquals(Float.floatToRawIntBits(x[plane + (int) best]), Float.floatToRawIntBits(vals[vo + q]), at + ", value");
                assertEquals(Float.floatToRawIntBits(vals[vo + q]), Float.floatToRawIntBits(valsAlone[vo + q]), at + ", value alone");
            }
        }
    }
}
