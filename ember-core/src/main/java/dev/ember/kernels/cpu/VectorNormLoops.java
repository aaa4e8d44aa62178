package dev.ember.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API loops of batch normalisation's elementwise passes, one row (one image's plane of one
 * channel) at a time. The rows are short in a CIFAR ResNet (64 floats at 8x8), where the scalar loops
 * the JIT vectorised left most of the time in their pre- and post-loops: a masked last vector instead.
 * Same arithmetic as {@link ScalarFloatKernels}' loops (separate multiplies and adds, no fused
 * multiply-add), so both give the same floats.
 */
final class VectorNormLoops {
    private VectorNormLoops() {
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    static void scaleShift(float[] x, int xo, float[] o, int oo, int n, float scale, float shift) {
        FloatVector sc = FloatVector.broadcast(S, scale), sh = FloatVector.broadcast(S, shift);
        int k = 0;
        for (; k <= n - L; k += L) FloatVector.fromArray(S, x, xo + k).mul(sc).add(sh).intoArray(o, oo + k);
        if (k < n) {
            VectorMask<Float> m = S.indexInRange(k, n);
            FloatVector.fromArray(S, x, xo + k, m).mul(sc).add(sh).intoArray(o, oo + k, m);
        }
    }

    static void batchNormInputGrad(float[] g, int go, float[] x, int xo, float[] o, int oo, int n, float scale, float meanG,
                                   float m, float xhatScale) {
        FloatVector sc = FloatVector.broadcast(S, scale), mg = FloatVector.broadcast(S, meanG);
        FloatVector mv = FloatVector.broadcast(S, m), xs = FloatVector.broadcast(S, xhatScale);
        int k = 0;
        for (; k <= n - L; k += L) {
            FloatVector d = FloatVector.fromArray(S, x, xo + k).sub(mv).mul(xs);
            FloatVector.fromArray(S, g, go + k).sub(mg).sub(d).mul(sc).intoArray(o, oo + k);
        }
        if (k < n) {
            VectorMask<Float> t = S.indexInRange(k, n);
            FloatVector d = FloatVector.fromArray(S, x, xo + k, t).sub(mv).mul(xs);
            FloatVector.fromArray(S, g, go + k, t).sub(mg).sub(d).mul(sc).intoArray(o, oo + k, t);
        }
    }
}
