package dev.ember.kernels.cpu;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link FloatKernels#transpose} in every implementation: sizes around the 16 x 16 register blocks,
 * leading dimensions wider than the matrix, offsets; elements outside the destination block untouched.
 */
class TransposeKernelsTest {
    static List<Named<FloatKernels>> kernels() {
        return KernelImplementations.all();
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void transposesEveryShape(FloatKernels k) {
        Random r = new Random(3);
        int[] sizes = {1, 3, 8, 15, 16, 17, 31, 32, 33, 50, 64, 100};
        for (int rows : sizes) {
            for (int cols : sizes) {
                int sLd = cols + r.nextInt(3), dLd = rows + r.nextInt(3), sOff = r.nextInt(5), dOff = r.nextInt(5);
                float[] src = new float[sOff + rows * sLd];
                for (int i = 0; i < src.length; i++) src[i] = r.nextFloat();
                float[] dst = new float[dOff + cols * dLd + 1];
                java.util.Arrays.fill(dst, -7f);
                k.transpose(rows, cols, src, sOff, sLd, dst, dOff, dLd);
                for (int j = 0; j < cols; j++) {
                    for (int i = 0; i < dLd; i++) {
                        float expected = i < rows ? src[sOff + i * sLd + j] : -7f;
                        assertEquals(expected, dst[dOff + j * dLd + i], rows + "x" + cols + " at (" + i + ", " + j + ")");
                    }
                }
                assertEquals(-7f, dst[dst.length - 1], "wrote past the block");
            }
        }
    }
}
