package dev.ember.kernels.cpu;

import java.util.Arrays;

/**
 * Plain-Java FLOAT32 GEMM: the fallback when the Vector API module is absent, and the reference the
 * vector kernels are tested against. One output row at a time, accumulated in a scratch row so the
 * inner loop is a contiguous axpy the JIT can auto-vectorize.
 */
final class ScalarSgemm implements SgemmKernel {
    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float[] c, int cOff, int ldc, boolean accumulate, boolean parallel) {
        long flops = 2L * m * n * k;
        // Rows of C that alias (ldc < n) must be produced in order, on one thread.
        boolean serial = !parallel || (ldc < n && m > 1);
        int grain = serial ? m : (int) Math.max(1, Math.min(m, (1L << 21) * m / Math.max(1, flops)));
        Parallel.forRange(m, grain, (r0, r1) -> {
            float[] row = new float[n];
            for (int i = r0; i < r1; i++) {
                if (accumulate) {
                    System.arraycopy(c, cOff + i * ldc, row, 0, n);
                } else {
                    Arrays.fill(row, 0f);
                }
                if (!transB) {
                    for (int p = 0; p < k; p++) {
                        float aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                        int bo = bOff + p * ldb;
                        for (int j = 0; j < n; j++) row[j] += aip * b[bo + j];
                    }
                } else {
                    for (int j = 0; j < n; j++) {
                        float s = 0f;
                        int bo = bOff + j * ldb;
                        for (int p = 0; p < k; p++) {
                            float aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                            s += aip * b[bo + p];
                        }
                        row[j] += s;
                    }
                }
                System.arraycopy(row, 0, c, cOff + i * ldc, n);
            }
        });
    }
}
