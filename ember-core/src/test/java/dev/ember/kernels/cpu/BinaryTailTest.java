package dev.ember.kernels.cpu;

import dev.ember.kernels.BinaryOp;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Binary kernels (and column sums) whose last partial vector ends exactly at an array's end (where the vector loops hand
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

    /** Column sums ({@link FloatKernels#sumRows}) of narrow and odd-width rows that end at the arrays' ends. */
    @ParameterizedTest
    @MethodSource("kernels")
    void sumRowsOfNarrowRowsAtTheEndOfArrays(FloatKernels k) {
        Random r = new Random(12);
        for (int width = 1; width <= 40; width++) {
            for (int rows : new int[] {1, 3, 4, 7, 128}) {
                int xo = r.nextInt(3), ao = r.nextInt(3), stride = width + (rows % 2 == 0 ? 0 : r.nextInt(3));
                float[] x = KernelImplementations.uniform(r, xo + (rows - 1) * stride + width, 2f);
                float[] acc = new float[ao + width];
                double[] expected = new double[width];
                for (int j = 0; j < width; j++) {
                    acc[ao + j] = j;
                    expected[j] = j;
                    for (int q = 0; q < rows; q++) expected[j] += x[xo + q * stride + j];
                }
                k.sumRows(x, xo, stride, rows, acc, ao, width);
                for (int j = 0; j < width; j++) {
                    assertEquals(expected[j], acc[ao + j], 1e-4 * (1 + rows), "width " + width + ", rows " + rows + ", column " + j);
                }
            }
        }
    }
}
