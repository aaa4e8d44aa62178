package dev.ember.kernels.cpu;

import dev.ember.kernels.BinaryOp;
import dev.ember.kernels.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API FLOAT32 loops for contiguous (stride 1) and broadcast (stride 0) runs; other strides
 * fall back to the plain loops. Loaded only through {@link Simd} when the incubator module is present.
 */
final class VectorFloatKernels extends ScalarFloatKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    public static int vectorBits() {
        return S.vectorBitSize();
    }

    @Override
    public void unary(UnaryOp op, float[] x, int xo, int xs, float[] o, int oo, int os, int n, float p0, float p1) {
        if (xs != 1 || os != 1 || op != UnaryOp.RELU) {
            super.unary(op, x, xo, xs, o, oo, os, n, p0, p1);
            return;
        }
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector.fromArray(S, x, xo + i).max(0f).intoArray(o, oo + i);
        }
        super.unary(op, x, xo + i, 1, o, oo + i, 1, n - i, p0, p1);
    }

    @Override
    public void binary(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int os, int n, float p0) {
        VectorOperators.Binary vop = switch (op) {
            case ADD -> VectorOperators.ADD;
            case SUB -> VectorOperators.SUB;
            case MUL -> VectorOperators.MUL;
            case DIV -> VectorOperators.DIV;
            default -> null;
        };
        if (vop == null || os != 1 || as != 1 || (bs != 1 && bs != 0)) {
            super.binary(op, a, ao, as, b, bo, bs, o, oo, os, n, p0);
            return;
        }
        int i = 0;
        if (bs == 0) {
            FloatVector vb = FloatVector.broadcast(S, b[bo]);
            for (; i <= n - L; i += L) {
                FloatVector.fromArray(S, a, ao + i).lanewise(vop, vb).intoArray(o, oo + i);
            }
        } else {
            for (; i <= n - L; i += L) {
                FloatVector.fromArray(S, a, ao + i).lanewise(vop, FloatVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
            }
        }
        super.binary(op, a, ao + i, 1, b, bo + (bs == 0 ? 0 : i), bs, o, oo + i, 1, n - i, p0);
    }
}
