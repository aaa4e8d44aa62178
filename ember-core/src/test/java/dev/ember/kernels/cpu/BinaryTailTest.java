package dev.ember.kernels.cpu;

import dev.ember.kernels.BinaryOp;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Binary kernels whose last partial vector ends exactly at an array's end (where the vector loops hand
 * the tail to the scalar loop) give the scalar results, for every length around the vector width,
 * broadcast operands and in-place outputs.
 */
class BinaryTailTest {
    static List<Named<FloatKernels>> kernels() {
        return KernelImplementations.all();
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void tailsAtTheEndOfArraysMatchScalar(FloatKernels k) {
        Random r = new Random(11);
        FloatKernels ref = new ScalarFloatKernels();
        for (BinaryOp op : List.of(BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV, BinaryOp.MINIMUM, BinaryOp.MAXIMUM,
                BinaryOp.RELU_BACKWARD, BinaryOp.POW)) {
            for (int n = 1; n <= 70; n++) {
                int off = r.nextInt(4);
                float[] a = KernelImplementations.uniform(r, off + n, 4f), b = KernelImplementations.uniform(r, off + n, 4f);
                int bs = n % 5 == 0 ? 0 : 1;
                float[] expected = new float[off + n], actual = new float[off + n];
                ref.binary(op, a, off, 1, b, off, bs, expected, off, 1, n, 0f);
                k.binary(op, a, off, 1, b, off, bs, actual, off, 1, n, 0f);
                if (op == BinaryOp.POW) {
                    for (int i = off; i < off + n; i++) {
                        if (Float.isNaN(expected[i]) != Float.isNaN(actual[i])
                                || Math.abs(expected[i] - actual[i]) > 1e-5 * Math.max(1, Math.abs(expected[i]))) {
                            throw new AssertionError(op + " n=" + n + " at " + i + ": " + expected[i] + " vs " + actual[i]);
                        }
                    }
                } else {
                    assertArrayEquals(expected, actual, op + " n=" + n + (bs == 0 ? " broadcast" : ""));
                }
                float[] inPlace = a.clone();
                k.binary(op, inPlace, off, 1, b, off, bs, inPlace, off, 1, n, 0f);
                if (op != BinaryOp.POW) {
                    assertArrayEquals(java.util.Arrays.copyOfRange(expected, off, off + n), java.util.Arrays.copyOfRange(inPlace, off, off + n),
                            op + " in place, n=" + n);
                }
            }
        }
    }
}
