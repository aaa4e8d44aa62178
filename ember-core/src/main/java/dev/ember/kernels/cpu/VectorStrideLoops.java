package dev.ember.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API loop over every second float, {@code o[k] = x[2k]}, as a stride-2 convolution's im2col copies
 * one output row at a time: two contiguous loads and one two-vector permute per L outputs (gathers cost
 * ~20 cycles each on CPUs with the Downfall microcode fix). The last, partial vector is masked, so rows of
 * any length (8 at 8x8) take the vector path and nothing outside them is read or written. (The same trick
 * for col2im's {@code x[2k] += c[k]} measured no faster than the scalar loop: 9 vs 11 ns a row of 16.)
 */
final class VectorStrideLoops {
    private VectorStrideLoops() {
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Indexes into the concatenation of two vectors: its even lanes. */
    private static final FloatVector EVENS = FloatVector.fromArray(S, evenIndexes(), 0);

    private static float[] evenIndexes() {
        float[] r = new float[L];
        for (int i = 0; i < L; i++) r[i] = 2 * i;
        return r;
    }

    /** {@code o[oo + k] = x[xo + 2k]} for k in [0, n). */
    static void copyEvens(float[] x, int xo, float[] o, int oo, int n) {
        int k = 0;
        for (; k + L <= n && xo + 2 * k + 2 * L <= x.length; k += L) {
            int s = xo + 2 * k;
            EVENS.selectFrom(FloatVector.fromArray(S, x, s), FloatVector.fromArray(S, x, s + L)).intoArray(o, oo + k);
        }
        for (; k < n; k += L) {
            int m = Math.min(L, n - k), floats = 2 * m - 1, s = xo + 2 * k; // the row's last even float ends it
            FloatVector v0 = FloatVector.fromArray(S, x, s, S.indexInRange(0, floats));
            FloatVector v1 = FloatVector.fromArray(S, x, s + L, S.indexInRange(L, floats));
            EVENS.selectFrom(v0, v1).intoArray(o, oo + k, S.indexInRange(0, m));
        }
    }
}
