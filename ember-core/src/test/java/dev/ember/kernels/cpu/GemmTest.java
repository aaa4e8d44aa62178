package dev.ember.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Seeded property tests for {@link Gemm}: random shapes (0 and 1 dims, odd sizes, K and N past the
 * cache blocks, single rows and columns), every transpose pair, padded and zero leading
 * dimensions, offsets, accumulate, threads on and off, for both FLOAT32 implementations, against a
 * double-precision triple loop. The FLOAT32 tolerance is the classic bound for a sum of k
 * products, {@code (k + 2) * 2^-23 * sum_p |A(i,p) B(p,j)|}, so any indexing bug shows up as an
 * O(1) error while legal re-association does not.
 */
class GemmTest {
    private static final double EPS = Math.ulp(1f);

    /** A GEMM problem: shapes, layouts, offsets and flags. */
    private record Problem(boolean transA, boolean transB, int m, int n, int k, int lda, int ldb, int ldc,
                           int aOff, int bOff, int cOff, boolean accumulate, boolean parallel) {
        int aSize() {
            return aOff + extent(transA ? k : m, transA ? m : k, lda);
        }

        int bSize() {
            return bOff + extent(transB ? n : k, transB ? k : n, ldb);
        }

        int cSize() {
            return cOff + extent(m, n, ldc);
        }

        /** Elements spanned by a rows x cols row-major block with leading dimension ld, plus slack. */
        private static int extent(int rows, int cols, int ld) {
            if (rows == 0 || cols == 0) return 3;
            return (rows - 1) * ld + cols + 3;
        }

        double a(float[] a, int i, int p) {
            return transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
        }

        double b(float[] b, int p, int j) {
            return transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
        }
    }

    private static int dim(Random r) {
        return switch (r.nextInt(12)) {
            case 0 -> 0;
            case 1, 2 -> 1;
            case 3, 4, 5, 6 -> 2 + r.nextInt(30);
            case 7, 8, 9 -> 32 + r.nextInt(120);
            default -> 150 + r.nextInt(450);
        };
    }

    private static int ld(Random r, int width) {
        int pick = r.nextInt(10);
        if (pick == 0) return 0; // a broadcast row: every row reads the same memory
        if (pick < 5) return width;
        return width + 1 + r.nextInt(17);
    }

    private static Problem randomProblem(Random r, int m, int n, int k) {
        boolean tA = r.nextBoolean(), tB = r.nextBoolean();
        int ldc = n + (r.nextInt(3) == 0 ? 1 + r.nextInt(9) : 0);
        return new Problem(tA, tB, m, n, k, ld(r, tA ? m : k), ld(r, tB ? k : n), ldc,
                r.nextInt(5), r.nextInt(5), r.nextInt(5), r.nextBoolean(), r.nextBoolean());
    }

    private static float[] randomArray(Random r, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = (float) (r.nextGaussian());
        return x;
    }

    /** Runs {@code kernel} on the problem and checks every element of C, and that nothing else moved. */
    private static void check(SgemmKernel kernel, Problem q, Random r) {
        float[] a = randomArray(r, q.aSize()), b = randomArray(r, q.bSize()), c = randomArray(r, q.cSize());
        float[] c0 = c.clone();
        if (q.m > 0 && q.n > 0) {
            kernel.sgemm(q.transA, q.transB, q.m, q.n, q.k, a, q.aOff, q.lda, b, q.bOff, q.ldb,
                    c, q.cOff, q.ldc, q.accumulate, q.parallel);
        }
        // op(A) row-major and op(B) column-major in doubles, so each C(i, j) is a contiguous dot product.
        double[] opA = new double[q.m * q.k], opBt = new double[q.n * q.k];
        for (int i = 0; i < q.m; i++) {
            for (int p = 0; p < q.k; p++) opA[i * q.k + p] = q.a(a, i, p);
        }
        for (int j = 0; j < q.n; j++) {
            for (int p = 0; p < q.k; p++) opBt[j * q.k + p] = q.b(b, p, j);
        }
        boolean[] inC = new boolean[c.length];
        for (int i = 0; i < q.m; i++) {
            for (int j = 0; j < q.n; j++) {
                int at = q.cOff + i * q.ldc + j;
                inC[at] = true;
                double sum = q.accumulate ? c0[at] : 0, scale = q.accumulate ? Math.abs(c0[at]) : 0;
                for (int p = 0, ai = i * q.k, bj = j * q.k; p < q.k; p++) {
                    double t = opA[ai + p] * opBt[bj + p];
                    sum += t;
                    scale += Math.abs(t);
                }
                double tol = (q.k + 2) * EPS * scale + 1e-30;
                if (!(Math.abs(c[at] - sum) <= tol)) {
                    fail(q + ": C(" + i + ", " + j + ") = " + c[at] + ", expected " + sum + " within " + tol);
                }
            }
        }
        for (int x = 0; x < c.length; x++) {
            if (!inC[x] && Float.floatToRawIntBits(c[x]) != Float.floatToRawIntBits(c0[x])) {
                fail(q + ": wrote outside C at index " + x);
            }
        }
    }

    private static void randomShapes(SgemmKernel kernel, long seed, int cases) {
        Random r = new Random(seed);
        for (int t = 0; t < cases; t++) {
            int m = dim(r), n = dim(r), k = dim(r);
            while ((long) m * n * k > 6_000_000L) {
                m = Math.max(1, m / 2);
                k = Math.max(1, k / 2);
            }
            check(kernel, randomProblem(r, m, n, k), r);
        }
    }

    /** Shapes past every block: K past KC (several K blocks), N past NC, M past MC, big enough to thread. */
    private static void blockedShapes(SgemmKernel kernel, long seed, int variants) {
        Random r = new Random(seed);
        int[][] shapes = {{97, 530, 801}, {200, 70, 1300}, {131, 1100, 40}, {7, 300, 2000}, {610, 64, 288},
            {300, 33, 400}, {61, 129, 385}, {1, 1500, 900}, {1300, 1, 1000}, {2, 2, 3000}, {50, 90, 2500}};
        for (int[] s : shapes) {
            for (int variant = 0; variant < variants; variant++) {
                Problem p = randomProblem(r, s[0], s[1], s[2]);
                // Each transpose pair with tight leading dimensions, threaded, then padded ones, serial.
                check(kernel, new Problem((variant & 1) != 0, (variant & 2) != 0, p.m, p.n, p.k,
                        p.transA ? p.m : p.k, p.transB ? p.k : p.n, p.ldc, p.aOff, p.bOff, p.cOff,
                        p.accumulate, true), r);
                check(kernel, new Problem((variant & 1) != 0, (variant & 2) != 0, p.m, p.n, p.k,
                        (p.transA ? p.m : p.k) + 5, (p.transB ? p.k : p.n) + 3, p.ldc, p.aOff, p.bOff, p.cOff,
                        !p.accumulate, false), r);
            }
        }
    }

    private static SgemmKernel vectorKernel() {
        Assumptions.assumeTrue(Simd.AVAILABLE, "the Vector API module is not loaded in this JVM");
        return new VectorSgemm();
    }

    @Test
    void scalarRandomShapes() {
        randomShapes(new ScalarSgemm(), 1234, 400);
    }

    @Test
    void vectorRandomShapes() {
        randomShapes(vectorKernel(), 1234, 1500);
    }

    @Test
    void vectorSmallShapesExhaustively() {
        SgemmKernel kernel = vectorKernel();
        Random r = new Random(7);
        for (int m = 0; m <= 13; m++) {
            for (int n = 0; n <= 70; n += (n < 18 ? 1 : 13)) {
                for (int k : new int[] {0, 1, 2, 5, 17}) {
                    check(kernel, randomProblem(r, m, n, k), r);
                }
            }
        }
    }

    @Test
    void scalarBlockedShapes() {
        blockedShapes(new ScalarSgemm(), 99, 1); // the plain loops have no blocking to cross
    }

    @Test
    void vectorBlockedShapes() {
        blockedShapes(vectorKernel(), 99, 4);
    }

    @Test
    void vectorWithOddThreadCounts() {
        SgemmKernel kernel = vectorKernel();
        int before = Parallel.threads();
        try {
            for (int threads : new int[] {3, 7}) {
                Parallel.setThreads(threads);
                Random r = new Random(threads);
                int[][] shapes = {{211, 700, 90}, {40, 333, 520}, {1001, 64, 77}, {13, 1000, 600}, {1, 2000, 900}};
                for (int[] sh : shapes) {
                    Problem p = randomProblem(r, sh[0], sh[1], sh[2]);
                    check(kernel, new Problem(p.transA, p.transB, p.m, p.n, p.k, p.lda, p.ldb, p.ldc,
                            p.aOff, p.bOff, p.cOff, p.accumulate, true), r);
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void publicEntryPointMatchesReference() {
        SgemmKernel viaGemm = (tA, tB, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, acc, par) ->
                Gemm.sgemm(tA, tB, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, acc, par);
        randomShapes(viaGemm, 42, 200);
    }

    @Test
    void vectorIm2colShapes() {
        SgemmKernel vector = vectorKernel();
        Random r = new Random(5);
        // A scaled-down tall-skinny im2col product (the real one is 25088 x 288 x 64).
        check(vector, new Problem(false, false, 3001, 64, 288, 288, 64, 64, 0, 0, 0, false, true), r);
        check(vector, new Problem(false, false, 3001, 32, 9, 9, 32, 32, 1, 2, 3, false, true), r);
        check(vector, new Problem(true, false, 288, 64, 3001, 288, 64, 64, 0, 0, 0, true, true), r);
        check(vector, new Problem(false, true, 3001, 288, 64, 64, 64, 288, 0, 0, 0, false, true), r);
    }

    @Test
    void zeroInnerDimensionClearsOrKeepsC() {
        for (SgemmKernel kernel : Simd.AVAILABLE ? new SgemmKernel[] {new ScalarSgemm(), new VectorSgemm()}
                : new SgemmKernel[] {new ScalarSgemm()}) {
            float[] c = {1, 2, 3, 4, 5, 6};
            kernel.sgemm(false, false, 2, 2, 0, new float[0], 0, 0, new float[0], 0, 0, c, 1, 3, true, true);
            assertEquals(java.util.List.of(1f, 2f, 3f, 4f, 5f, 6f), boxed(c));
            kernel.sgemm(false, false, 2, 2, 0, new float[0], 0, 0, new float[0], 0, 0, c, 1, 3, false, true);
            assertEquals(java.util.List.of(1f, 0f, 0f, 4f, 0f, 0f), boxed(c));
        }
    }

    @Test
    void nanAndInfinityPropagateLikeTheTripleLoop() {
        for (SgemmKernel kernel : Simd.AVAILABLE ? new SgemmKernel[] {new ScalarSgemm(), new VectorSgemm()}
                : new SgemmKernel[] {new ScalarSgemm()}) {
            for (int n : new int[] {1, 3, 70}) {
                float[] a = {0f, 1f, 2f, 3f};           // 2 x 2
                float[] b = new float[2 * n];            // 2 x n, row 0 infinite
                java.util.Arrays.fill(b, 0, n, Float.POSITIVE_INFINITY);
                float[] c = new float[2 * n];
                kernel.sgemm(false, false, 2, n, 2, a, 0, 2, b, 0, n, c, 0, n, false, false);
                assertTrue(Float.isNaN(c[0]), "0 * inf must give NaN, n=" + n);
                assertEquals(Float.POSITIVE_INFINITY, c[n]);
            }
        }
    }

    private static java.util.List<Float> boxed(float[] x) {
        java.util.List<Float> out = new java.util.ArrayList<>();
        for (float v : x) out.add(v);
        return out;
    }

    @Test
    void dgemmEqualsTheTripleLoopExactly() {
        Random r = new Random(11);
        for (int t = 0; t < 400; t++) {
            int m = dim(r) % 90, n = dim(r) % 600, k = dim(r) % 200;
            boolean tA = r.nextBoolean(), tB = r.nextBoolean(), acc = r.nextBoolean(), par = r.nextBoolean();
            int lda = ld(r, tA ? m : k), ldb = ld(r, tB ? k : n), ldc = n + r.nextInt(3);
            int aOff = r.nextInt(4), bOff = r.nextInt(4), cOff = r.nextInt(4);
            double[] a = new double[aOff + Math.max(0, ((tA ? k : m) - 1)) * lda + (tA ? m : k) + 1];
            double[] b = new double[bOff + Math.max(0, ((tB ? n : k) - 1)) * ldb + (tB ? k : n) + 1];
            double[] c = new double[cOff + Math.max(0, m - 1) * ldc + n + 1];
            for (int i = 0; i < a.length; i++) a[i] = r.nextGaussian();
            for (int i = 0; i < b.length; i++) b[i] = r.nextGaussian();
            for (int i = 0; i < c.length; i++) c[i] = r.nextGaussian();
            double[] expected = c.clone();
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = acc ? expected[cOff + i * ldc + j] : 0;
                    for (int p = 0; p < k; p++) {
                        double x = tA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                        double y = tB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                        s += x * y;
                    }
                    expected[cOff + i * ldc + j] = s;
                }
            }
            Gemm.dgemm(tA, tB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, acc, par);
            for (int i = 0; i < c.length; i++) {
                if (Double.doubleToRawLongBits(c[i]) != Double.doubleToRawLongBits(expected[i])) {
                    fail("dgemm tA=" + tA + " tB=" + tB + " m=" + m + " n=" + n + " k=" + k + " lda=" + lda
                            + " ldb=" + ldb + " ldc=" + ldc + ": index " + i + " = " + c[i] + ", expected " + expected[i]);
                }
            }
        }
    }
}
