package dev.ember.kernels.cpu;

/** Plain-Java matrix transposition (the layout changes around the GEMM calls of the convolutions). */
final class Transposes {
    private Transposes() {
    }

    /**
     * {@code dst[dOff + j*dLd + i] = src[sOff + i*sLd + j]} for i in [0, rows), j in [0, cols):
     * in strips of 64 columns (so the destination lines being filled stay in L1), eight source rows
     * at a time (so each column gets eight contiguous floats per pass).
     */
    static void scalar(int rows, int cols, float[] src, int sOff, int sLd, float[] dst, int dOff, int dLd) {
        for (int j0 = 0; j0 < cols; j0 += 64) {
            int j1 = Math.min(cols, j0 + 64);
            int i = 0;
            for (; i + 8 <= rows; i += 8) {
                int s0 = sOff + i * sLd, s1 = s0 + sLd, s2 = s1 + sLd, s3 = s2 + sLd;
                int s4 = s3 + sLd, s5 = s4 + sLd, s6 = s5 + sLd, s7 = s6 + sLd;
                for (int j = j0, d = dOff + j0 * dLd + i; j < j1; j++, d += dLd) {
                    dst[d] = src[s0 + j];
                    dst[d + 1] = src[s1 + j];
                    dst[d + 2] = src[s2 + j];
                    dst[d + 3] = src[s3 + j];
                    dst[d + 4] = src[s4 + j];
                    dst[d + 5] = src[s5 + j];
                    dst[d + 6] = src[s6 + j];
                    dst[d + 7] = src[s7 + j];
                }
            }
            for (; i < rows; i++) {
                int s = sOff + i * sLd;
                for (int j = j0, d = dOff + j0 * dLd + i; j < j1; j++, d += dLd) dst[d] = src[s + j];
            }
        }
    }
}
