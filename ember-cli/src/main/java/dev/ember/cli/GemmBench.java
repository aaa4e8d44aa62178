package dev.ember.cli;

import dev.ember.Ember;
import dev.ember.kernels.cpu.Gemm;
import java.util.Arrays;
import java.util.Random;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ember bench gemm}: FLOAT32 GEMM throughput, {@code C[m x n] = A[m x k] * B[k x n]}, all
 * row-major and contiguous. Prints the median over {@code --repeat} timed runs, after a warm-up
 * that lets the JIT compile the kernels (a small product, then the real one, each for a second
 * and until the JIT has been idle for half a second). Each timed run repeats the product until it has lasted
 * at least {@value #MIN_RUN_NANOS} ns, so small sizes are not timer noise.
 *
 * <pre>
 * ember bench gemm --size 1024 --threads 2        → gemm n=1024 threads=2 gflops=187.3
 * ember bench gemm --shape 25088,288,64           → gemm m=25088 k=288 n=64 threads=2 gflops=181.0
 * </pre>
 */
@Command(name = "gemm", description = "FLOAT32 matrix multiply throughput (median GFLOP/s).")
final class GemmBench implements Runnable {
    private static final long MIN_RUN_NANOS = 50_000_000L;
    private static final long WARMUP_NANOS = 1_000_000_000L;
    private static final long WARMUP_LIMIT_NANOS = 30_000_000_000L;

    @Option(names = "--size", description = "Square size n (m = k = n = N). Default: ${DEFAULT-VALUE}.", defaultValue = "1024")
    int size;

    @Option(names = "--shape", description = "A non-square shape M,K,N (C is M x N, the inner dimension K).", split = ",")
    int[] shape;

    @Option(names = "--threads", description = "Kernel threads. Default: all (EMBER_NUM_THREADS).")
    Integer threads;

    @Option(names = "--repeat", description = "Timed runs; the median is printed. Default: ${DEFAULT-VALUE}.", defaultValue = "7")
    int repeat;

    @Override
    public void run() {
        int m = size, k = size, n = size;
        if (shape != null) {
            if (shape.length != 3 || Arrays.stream(shape).anyMatch(d -> d < 1)) {
                throw new IllegalArgumentException("bench gemm: --shape needs three positive sizes M,K,N, got "
                        + Arrays.toString(shape));
            }
            m = shape[0];
            k = shape[1];
            n = shape[2];
        } else if (size < 1) {
            throw new IllegalArgumentException("bench gemm: --size must be positive, got " + size);
        }
        if (repeat < 1) throw new IllegalArgumentException("bench gemm: --repeat must be positive, got " + repeat);
        if (threads != null) Ember.setThreads(threads);

        Random random = new Random(0);
        float[] a = randomMatrix(random, m * k), b = randomMatrix(random, k * n), c = new float[m * n];
        int fm = m, fn = n, fk = k;
        Runnable product = () -> Gemm.sgemm(false, false, fm, fn, fk, a, 0, fk, b, 0, fn, c, 0, fn, false, true);

        warmUp(m, k, n);
        runUntilJitQuiet(product);
        double[] gflops = new double[repeat];
        double flops = 2.0 * m * n * k;
        for (int r = 0; r < repeat; r++) {
            long start = System.nanoTime(), elapsed;
            int calls = 0;
            do {
                product.run();
                calls++;
                elapsed = System.nanoTime() - start;
            } while (elapsed < MIN_RUN_NANOS);
            gflops[r] = flops * calls / elapsed;
        }
        Arrays.sort(gflops);
        double median = gflops[repeat / 2];
        String dims = shape == null ? "n=" + n : "m=" + m + " k=" + k + " n=" + n;
        System.out.printf("gemm %s threads=%d gflops=%.1f%n", dims, Ember.threads(), median);
    }

    /**
     * Runs a product of the same proportions but at most 256 on a side until the JIT has compiled
     * the kernels: before that they run in the interpreter or C1, where Vector API code is ~100x
     * slower, and a single full-size product could take a minute.
     */
    private static void warmUp(int m, int k, int n) {
        int sm = Math.min(m, 256), sk = Math.min(k, 256), sn = Math.min(n, 256);
        float[] a = new float[sm * sk], b = new float[sk * sn], c = new float[sm * sn];
        runUntilJitQuiet(() -> Gemm.sgemm(false, false, sm, sn, sk, a, 0, sk, b, 0, sn, c, 0, sn, false, true));
    }

    /**
     * Repeats {@code body} for at least {@value #WARMUP_NANOS} ns and then until the JIT has
     * compiled nothing for {@value JitIdle#QUIET_NANOS} ns (at most {@value #WARMUP_LIMIT_NANOS} ns):
     * on a busy machine the optimizing compiler can take seconds to get to the kernels.
     */
    private static void runUntilJitQuiet(Runnable body) {
        JitIdle idle = new JitIdle();
        long start = System.nanoTime();
        while (true) {
            body.run();
            long now = System.nanoTime();
            boolean quiet = idle.quiet(now);
            if ((now - start >= WARMUP_NANOS && quiet) || now - start >= WARMUP_LIMIT_NANOS) return;
        }
    }

    private static float[] randomMatrix(Random random, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = random.nextFloat() * 2 - 1;
        return x;
    }
}
