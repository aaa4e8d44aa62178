package dev.ember;

import dev.ember.kernels.cpu.Parallel;
import dev.ember.kernels.cpu.Simd;
import dev.ember.tensor.Generator;

/** Library-wide settings and facts: version, seeding, threads, SIMD. */
public final class Ember {
    /** The library version. */
    public static final String VERSION = "0.1.0-SNAPSHOT";

    private Ember() {
    }

    /** Seeds the global generator (initialisation, shuffling, dropout and augmentation that use it). */
    public static void manualSeed(long seed) {
        Generator.global().manualSeed(seed);
    }

    /** Number of threads CPU kernels use. */
    public static int threads() {
        return Parallel.threads();
    }

    /** Sets the number of threads CPU kernels use. */
    public static void setThreads(int n) {
        Parallel.setThreads(n);
    }

    /** Width in bits of the SIMD vectors CPU kernels use (0 without the Vector API). */
    public static int simdBits() {
        return Simd.vectorBits();
    }
}
