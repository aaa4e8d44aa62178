package dev.ember.kernels.cpu;

/** Plain-Java pooling loops: the reference rules, and the tails and NaN windows of the vector loops. */
final class PoolLoops {
    private PoolLoops() {
    }

    /** {@link FloatKernels#maxPool2x2} for windows {@code from .. to-1}, one at a time. */
    static void maxPool2x2(float[] x, int plane, int w, int[] topLeft, int from, int to, float[] vals, int vo, long[] idx, int io) {
        for (int k = from; k < to; k++) {
            int t = topLeft[k], p = plane + t;
            float a = x[p], b = x[p + 1], d = x[p + w], e = x[p + w + 1];
            int best = t;
            float m = a;
            // a wins against the initial -infinity unless it is -infinity itself, when its index stays anyway.
            if (b > m || b != b) {
                m = b;
                best = t + 1;
            }
            if (d > m || d != d) {
                m = d;
                best = t + w;
            }
            if (e > m || e != e) {
                m = e;
                best = t + w + 1;
            }
            if (vals != null) vals[vo + k] = m;
            if (idx != null) idx[io + k] = best;
        }
    }
}
