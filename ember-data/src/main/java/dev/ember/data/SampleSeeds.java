package dev.ember.data;

/**
 * Seeds for shuffling and per-sample augmentation, derived from the loader seed with SplitMix64 so that
 * every sample's randomness depends only on (seed, epoch, position) and never on which worker thread
 * loaded it or when.
 */
public final class SampleSeeds {
    private SampleSeeds() {
    }

    /** SplitMix64's finaliser: a bijective 64-bit mix (Steele, Lea and Flood 2014). */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The seed of the shuffle permutation for {@code epoch}. */
    public static long forEpoch(long seed, int epoch) {
        return mix(mix(seed + 0x9E3779B97F4A7C15L) ^ (epoch * 0xD1B54A32D192ED03L + 0x1234567L));
    }

    /** The seed of the sample at {@code position} (0-based, within the epoch) of {@code epoch}. */
    public static long forSample(long seed, int epoch, long position) {
        return mix(forEpoch(seed, epoch) + (position + 1) * 0x9E3779B97F4A7C15L);
    }

    /** The seed used by {@link Dataset#get(int)} (no loader): fixed per index. */
    public static long forIndex(long index) {
        return mix(index * 0x9E3779B97F4A7C15L + 0x5851F42D4C957F2DL);
    }
}
