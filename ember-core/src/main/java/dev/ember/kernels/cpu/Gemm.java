package dev.ember.kernels.cpu;

import java.util.Arrays;

/**
 * Row-major general matrix multiply: {@code C = op(A) * op(B)} (or {@code C += ...} when
 * {@code accumulate}), where {@code op(X)} is X or its transpose. Element (i, p) of op(A) is
 * {@code a[aOff + i*lda + p]}, or {@code a[aOff + p*lda + i]} when {@code transA}; likewise for B;
 * C(i, j) is {@code c[cOff + i*ldc + j]}. Leading dimensions may be anything the addressing allows,
 * including 0 (a broadcast row).
 *
 * <p>{@link #sgemm} runs the Vector API kernels ({@code VectorSgemm}: packed B, register-blocked
 * micro-kernels, all cores) when the incubator module is present and the plain-Java
 * {@link ScalarSgemm} otherwise.
 */
public final class Gemm {
    private static final SgemmKernel SGEMM = chooseSgemm();
    /** Columns of C accumulated at a time by {@link #dgemm} (4 KiB of doubles stays in L1). */
    private static final int DGEMM_COLUMN_BLOCK = 512;

    private Gemm() {
    }

    private static SgemmKernel chooseSgemm() {
        if (Simd.vectorBits() > 0) {
            try {
                // Reflection keeps the vector classes unloaded (and unverified) when the module is absent.
                return (SgemmKernel) Class.forName("dev.ember.kernels.cpu.VectorSgemm")
                        .getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                System.err.println("ember: Vector API GEMM unavailable (" + e + "); using the plain Java GEMM");
            }
        }
        return new ScalarSgemm();
    }

    /** FLOAT32 GEMM, C is m x n, the inner dimension k. Uses all kernel threads when {@code parallel}. */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc, boolean accumulate, boolean parallel) {
        if (m == 0 || n == 0) return;
        SGEMM.sgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, parallel);
    }

    /**
     * FLOAT64 GEMM (same conventions). Used for gradient checks, so each C(i, j) is summed in plain
     * double arithmetic in increasing p, exactly as the textbook triple loop does; the speed comes
     * from the loop order (contiguous axpy over a block of C's row) and threads over rows.
     */
    public static void dgemm(boolean transA, boolean transB, int m, int n, int k,
                             double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                             double[] c, int cOff, int ldc, boolean accumulate, boolean parallel) {
        if (m == 0 || n == 0) return;
        // op(B) as a row-major k x n operand with unit column stride.
        double[] bb = b;
        int bo = bOff, bld = ldb;
        if (transB && k > 0 && n > 1) {
            bb = new double[k * n];
            for (int j = 0; j < n; j++) {
                for (int p = 0; p < k; p++) bb[p * n + j] = b[bOff + j * ldb + p];
            }
            bo = 0;
            bld = n;
        }
        // n == 1 with transB: B(p, 0) = b[bOff + p], a column stride of 1.
        int bColStride = transB && bb == b ? ldb : 1;
        int bRowStride = transB && bb == b ? 1 : bld;
        double[] bf = bb;
        int bof = bo;
        long flops = 2L * m * n * Math.max(1, k);
        boolean serial = !parallel || (ldc < n && m > 1);
        int grain = serial ? m : (int) Math.max(1, Math.min(m, (1L << 20) * m / flops));
        Parallel.forRange(m, grain, (r0, r1) -> {
            double[] row = new double[Math.min(n, DGEMM_COLUMN_BLOCK)];
            for (int i = r0; i < r1; i++) {
                for (int j0 = 0; j0 < n; j0 += DGEMM_COLUMN_BLOCK) {
                    int w = Math.min(DGEMM_COLUMN_BLOCK, n - j0);
                    int ci = cOff + i * ldc + j0;
                    if (accumulate) {
                        System.arraycopy(c, ci, row, 0, w);
                    } else {
                        Arrays.fill(row, 0, w, 0.0);
                    }
                    for (int p = 0; p < k; p++) {
                        double aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                        int o = bof + p * bRowStride + j0 * bColStride;
                        if (bColStride == 1) {
                            for (int j = 0; j < w; j++) row[j] += aip * bf[o + j];
                        } else {
                            for (int j = 0; j < w; j++) row[j] += aip * bf[o + j * bColStride];
                        }
                    }
                    System.arraycopy(row, 0, c, ci, w);
                }
            }
        });
    }
}
