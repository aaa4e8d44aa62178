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
    /** Columns of C accumulated at a time by {@link #dgemm} (four rows of 2 KiB stay in L1). */
    private static final int DGEMM_COLUMN_BLOCK = 256;

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
     * from the loop order (contiguous axpys over a block of C's columns, four rows sharing each
     * load of B) and threads over rows.
     */
    public static void dgemm(boolean transA, boolean transB, int m, int n, int k,
                             double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                             double[] c, int cOff, int ldc, boolean accumulate, boolean parallel) {
        if (m == 0 || n == 0) return;
        // op(B) as a row-major k x n operand with unit column stride: B(p, j) = bb[bo + p*bld + j].
        double[] bb = b;
        int bo = bOff, bld = ldb;
        if (transB) {
            bb = new double[k * n];
            for (int j = 0; j < n; j++) {
                for (int p = 0; p < k; p++) bb[p * n + j] = b[bOff + j * ldb + p];
            }
            bo = 0;
            bld = n;
        }
        double[] bf = bb;
        int bof = bo, bldf = bld;
        long flops = 2L * m * n * Math.max(1, k);
        // Rows of C that alias (ldc < n) must be produced in order, one at a time, on one thread.
        boolean aliased = ldc < n && m > 1;
        int grain = !parallel || aliased ? m : (int) Math.max(4, Math.min(m, (1L << 20) * m / flops));
        Parallel.forRange(m, grain, (r0, r1) -> {
            int w = Math.min(n, DGEMM_COLUMN_BLOCK);
            double[] x0 = new double[w], x1 = new double[w], x2 = new double[w], x3 = new double[w];
            for (int i = r0; i < r1; i += aliased ? 1 : 4) {
                int rows = aliased ? 1 : Math.min(4, r1 - i);
                for (int j0 = 0; j0 < n; j0 += DGEMM_COLUMN_BLOCK) {
                    int cols = Math.min(DGEMM_COLUMN_BLOCK, n - j0);
                    double[][] acc = {x0, x1, x2, x3};
                    for (int r = 0; r < rows; r++) {
                        if (accumulate) {
                            System.arraycopy(c, cOff + (i + r) * ldc + j0, acc[r], 0, cols);
                        } else {
                            Arrays.fill(acc[r], 0, cols, 0.0);
                        }
                    }
                    for (int p = 0; p < k; p++) {
                        int o = bof + p * bldf + j0;
                        if (rows == 4) {
                            double a0 = aElem(transA, a, aOff, lda, i, p), a1 = aElem(transA, a, aOff, lda, i + 1, p);
                            double a2 = aElem(transA, a, aOff, lda, i + 2, p), a3 = aElem(transA, a, aOff, lda, i + 3, p);
                            for (int j = 0; j < cols; j++) {
                                double bpj = bf[o + j];
                                x0[j] += a0 * bpj;
                                x1[j] += a1 * bpj;
                                x2[j] += a2 * bpj;
                                x3[j] += a3 * bpj;
                            }
                        } else {
                            for (int r = 0; r < rows; r++) {
                                double air = aElem(transA, a, aOff, lda, i + r, p);
                                double[] x = acc[r];
                                for (int j = 0; j < cols; j++) x[j] += air * bf[o + j];
                            }
                        }
                    }
                    for (int r = 0; r < rows; r++) System.arraycopy(acc[r], 0, c, cOff + (i + r) * ldc + j0, cols);
                }
            }
        });
    }

    private static double aElem(boolean transA, double[] a, int aOff, int lda, int i, int p) {
        return transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
    }
}
