package dev.ember.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API pooling loops. The 2x2 max pool compares lanes of 16 windows at once, gathering each
 * window's four corners by the precomputed top-left offsets (rows of a plane are short, 28 or 14 in a
 * small CNN, so vectors along a row would mostly be tails). The scalar form branches on comparisons
 * that, on real activations, are coin flips; here they are lane masks and blends.
 */
final class VectorPoolLoops {
    private VectorPoolLoops() {
    }

    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Long> LS = LongVector.SPECIES_PREFERRED;

    static void maxPool2x2(float[] x, int plane, int w, int[] topLeft, int windows, float[] vals, int vo, long[] idx, int io) {
        int n = FS.length();
        int k = 0;
        if (IS.length() == n && LS.length() * 2 == n) {
            for (; k + n <= windows; k += n) {
                FloatVector a = FloatVector.fromArray(FS, x, plane, topLeft, k);
                FloatVector b = FloatVector.fromArray(FS, x, plane + 1, topLeft, k);
                FloatVector d = FloatVector.fromArray(FS, x, plane + w, topLeft, k);
                FloatVector e = FloatVector.fromArray(FS, x, plane + w + 1, topLeft, k);
                VectorMask<Float> nan = a.test(VectorOperators.IS_NAN).or(b.test(VectorOperators.IS_NAN))
                        .or(d.test(VectorOperators.IS_NAN)).or(e.test(VectorOperators.IS_NAN));
                if (nan.anyTrue()) {
                    PoolLoops.maxPool2x2(x, plane, w, topLeft, k, k + n, vals, vo, idx, io);
                    continue;
                }
                // Without NaNs: each row's first maximum, then the bottom row only if strictly greater.
                VectorMask<Float> right0 = b.compare(VectorOperators.GT, a), right1 = e.compare(VectorOperators.GT, d);
                FloatVector m0 = a.blend(b, right0), m1 = d.blend(e, right1);
                VectorMask<Float> bottom = m1.compare(VectorOperators.GT, m0);
                if (vals != null) m0.blend(m1, bottom).intoArray(vals, vo + k);
                if (idx != null) {
                    // Inline, not a call: masks passed to a method the JIT does not inline are boxed (a mask
                    // object and its boolean[] per compare; inlining made the CNN step 2-3% faster).
                    IntVector t = IntVector.fromArray(IS, topLeft, k);
                    IntVector i0 = t.add(1, right0.cast(IS));
                    IntVector i1 = t.add(w).add(1, right1.cast(IS));
                    IntVector best = i0.blend(i1, bottom.cast(IS));
                    ((LongVector) best.convertShape(VectorOperators.I2L, LS, 0)).intoArray(idx, io + k);
                    ((LongVector) best.convertShape(VectorOperators.I2L, LS, 1)).intoArray(idx, io + k + LS.length());
                }
            }
        }
        PoolLoops.maxPool2x2(x, plane, w, topLeft, k, windows, vals, vo, idx, io);
    }
}
