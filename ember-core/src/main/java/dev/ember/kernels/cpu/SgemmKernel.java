package dev.ember.kernels.cpu;

/**
 * One implementation of {@link Gemm#sgemm}: the plain-Java {@link ScalarSgemm} or the Vector API
 * {@code VectorSgemm}. Same arguments and conventions as {@link Gemm#sgemm}; callers have already
 * returned for {@code m == 0 || n == 0}.
 */
interface SgemmKernel {
    void sgemm(boolean transA, boolean transB, int m, int n, int k,
               float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
               float[] c, int cOff, int ldc, boolean accumulate, boolean parallel);
}
