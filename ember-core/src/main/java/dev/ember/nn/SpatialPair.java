package dev.ember.nn;

import java.util.Arrays;

/** Argument checks shared by the convolution and pooling layers: (height, width) pairs. */
final class SpatialPair {
    private SpatialPair() {
    }

    /** A copy of {@code v} as a pair: one value means both axes. */
    static int[] of(String layer, String what, int[] v, int min) {
        if (v == null || (v.length != 1 && v.length != 2)) {
            throw new IllegalArgumentException(layer + ": " + what + " takes 1 value (both axes) or 2 (height, width), got "
                    + Arrays.toString(v));
        }
        int[] p = v.length == 1 ? new int[] {v[0], v[0]} : v.clone();
        for (int x : p) {
            if (x < min) {
                throw new IllegalArgumentException(layer + ": " + what + " must be at least " + min + ", got " + Arrays.toString(v));
            }
        }
        return p;
    }

    static String str(int[] p) {
        return p.length == 2 && p[0] == p[1] ? "(" + p[0] + ", " + p[1] + ")" : Arrays.toString(p).replace('[', '(').replace(']', ')');
    }
}
