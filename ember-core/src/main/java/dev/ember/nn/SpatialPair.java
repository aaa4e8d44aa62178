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

    /** The convolution rule: groups positive and dividing both channel counts. */
    static void checkGroups(String layer, int in, int out, int groups) {
        if (groups <= 0 || in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException(layer + ": groups must be positive and divide both in_channels and out_channels, got in="
                    + in + ", out=" + out + ", groups=" + groups);
        }
    }

    /** The pooling rule: implicit padding at most half the window on each axis. */
    static void checkHalfKernelPadding(String layer, int[] padding, int[] kernel) {
        for (int a = 0; a < 2; a++) {
            if (padding[a] * 2 > kernel[a]) {
                throw new IllegalArgumentException(layer + ": padding must be at most half the kernel size, got padding "
                        + str(padding) + " for kernel " + str(kernel));
            }
        }
    }
}
