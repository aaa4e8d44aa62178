package dev.ember.tensor;

/**
 * A seedable pseudo-random generator (xoshiro256**, seeded through SplitMix64). One seed fixes
 * initialisation, shuffling, dropout and augmentation; {@link #state()}/{@link #setState} let a
 * checkpoint resume the exact stream.
 *
 * <p>Not thread-safe: each worker uses its own generator (see {@link #fork()}).
 */
public final class Generator {
    private static final Generator DEFAULT = new Generator(0x5eed_e3be_12L);

    private long s0, s1, s2, s3;
    private double spareGaussian;
    private boolean hasSpare;

    /** A generator seeded with {@code seed}. */
    public Generator(long seed) {
        manualSeed(seed);
    }

    /** The process-wide default generator used when no generator is passed. */
    public static Generator global() {
        return DEFAULT;
    }

    /** Re-seeds this generator. */
    public synchronized Generator manualSeed(long seed) {
        long x = seed;
        x += 0x9E3779B97F4A7C15L; s0 = mix(x);
        x += 0x9E3779B97F4A7C15L; s1 = mix(x);
        x += 0x9E3779B97F4A7C15L; s2 = mix(x);
        x += 0x9E3779B97F4A7C15L; s3 = mix(x);
        hasSpare = false;
        return this;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** 64 random bits. */
    public long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** Uniform in [0, 1) with 24 random bits. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform integer in [0, bound). */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("Generator.nextInt: bound must be positive, got " + bound);
        // Lemire's multiply-shift: 32 random bits scaled to [0, bound); bias < 2^-32 * bound.
        return (int) (((nextLong() >>> 32) * bound) >>> 32);
    }

    /** Uniform long in [0, bound). */
    public long nextLong(long bound) {
        if (bound <= 0) throw new IllegalArgumentException("Generator.nextLong: bound must be positive, got " + bound);
        long r;
        long m = bound - 1;
        if ((bound & m) == 0) return nextLong() & m;
        long u = nextLong() >>> 1;
        while (u + m - (r = u % bound) < 0) u = nextLong() >>> 1;
        return r;
    }

    /** Standard normal (Box-Muller, pairs cached). */
    public double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spareGaussian;
        }
        double u1, u2;
        do {
            u1 = nextDouble();
        } while (u1 <= 1e-300);
        u2 = nextDouble();
        double r = Math.sqrt(-2.0 * Math.log(u1));
        spareGaussian = r * Math.sin(2 * Math.PI * u2);
        hasSpare = true;
        return r * Math.cos(2 * Math.PI * u2);
    }

    /** A new generator seeded from this one's stream (for worker threads). */
    public Generator fork() {
        return new Generator(nextLong());
    }

    /** The full state (for checkpoints). */
    public synchronized long[] state() {
        return new long[] {s0, s1, s2, s3, hasSpare ? 1 : 0, Double.doubleToRawLongBits(spareGaussian)};
    }

    /** Restores a state returned by {@link #state()}. */
    public synchronized void setState(long[] st) {
        if (st == null || st.length != 6) {
            throw new IllegalArgumentException("Generator.setState: expected 6 longs, got "
                    + (st == null ? "null" : st.length));
        }
        if ((st[0] | st[1] | st[2] | st[3]) == 0) {
            throw new IllegalArgumentException("Generator.setState: all-zero state is invalid");
        }
        s0 = st[0]; s1 = st[1]; s2 = st[2]; s3 = st[3];
        hasSpare = st[4] != 0;
        spareGaussian = Double.longBitsToDouble(st[5]);
    }
}
