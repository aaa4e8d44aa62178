package dev.ember.kernels.cpu;

/**
 * Row-major general matrix multiply: {@code C = op(A) * op(B)} (or {@code C += ...} when
 * {@code accumulate}), where {@code op(X)} is X or its transpose. Element (i, p) of op(A) is
 * {@code a[aOff + i*lda + p]}, or {@code a[aOff + p*lda + i]} when {@code transA}; likewise for B;
 * C(i, j) is {@code c[cOff + i*ldc + j]}. Leading dimensions may be anything the addressing allows,
 * including 0 (a broadcast row).
 */
public final class Gemm {
    private Gemm() {
    }

    /** FLOAT32 GEMM, C is m x n, the inner dimension k. Uses all kernel threads when {@code parallel}. */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc, boolean accumulate, boolean parallel) {
        if (m == 0 || n == 0) return;
        long flops = 2L * m * n * k;
        int grain = parallel ? (int) Math.max(1, Math.min(m, (1L << 21) * m / Math.max(1, flops))) : m;
        Parallel.forRange(m, grain, (r0, r1) -> {
            float[] row = new float[n];
            for (int i = r0; i < r1; i++) {
                if (accumulate) {
                    System.arraycopy(c, cOff + i * ldc, row, 0, n);
                } else {
                    java.util.Arrays.fill(row, 0f);
                }
                if (!transB) {
                    for (int p = 0; p < k; p++) {
                        float aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                        if (aip == 0f) continue;
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

    /** FLOAT64 GEMM (same conventions; used for gradient checks, so simple and exact rather than fast). */
    public static void dgemm(boolean transA, boolean transB, int m, int n, int k,
                             double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                             double[] c, int cOff, int ldc, boolean accumulate, boolean parallel) {
        if (m == 0 || n == 0) return;
        Parallel.forRange(m, parallel ? Math.max(1, 4096 / Math.max(1, n * Math.max(1, k) / 64)) : m, (r0, r1) -> {
            for (int i = r0; i < r1; i++) {
                for (int j = 0; j < n; j++) {
                    double s = accumulate ? c[cOff + i * ldc + j] : 0;
                    for (int p = 0; p < k; p++) {
                        double aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                        double bpj = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                        s += aip * bpj;
                    }
                    c[cOff + i * ldc + j] = s;
                }
            }
        });
    }
}
