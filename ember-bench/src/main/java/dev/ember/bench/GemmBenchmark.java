package dev.ember.bench;

import dev.ember.kernels.cpu.Gemm;
import dev.ember.kernels.cpu.Parallel;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * FLOAT32 GEMM for kernel developers: {@code C[m x n] = op(A)[m x k] * op(B)[k x n]} through
 * {@link Gemm#sgemm}, for the shapes Ember cares about (square, the im2col product of a 3x3
 * convolution, the MLP's hidden layer, batch-1 inference) and every transpose pair. JMH reports
 * time per product; GFLOP/s = 2*m*n*k / time. For side-by-side numbers with PyTorch use
 * {@code ember bench gemm} and {@code bench/torch_gemm.py} (see BENCHMARKS.md).
 *
 * <pre>
 * java -jar ember-bench/target/benchmarks.jar GemmBenchmark -p shape=1024x1024x1024 -p threads=2
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBenchmark {
    /** MxKxN (JMH splits -p values at commas, hence the x). */
    @Param({"256x256x256", "1024x1024x1024", "25088x288x64", "128x784x256", "1x784x256"})
    public String shape;

    /** "NN", "TN", "NT" or "TT": whether A and B are read transposed. */
    @Param({"NN", "NT"})
    public String trans;

    @Param({"2"})
    public int threads;

    private int m, k, n;
    private boolean transA, transB;
    private float[] a, b, c;

    @Setup(Level.Trial)
    public void setUp() {
        String[] dims = shape.split("x");
        m = Integer.parseInt(dims[0].trim());
        k = Integer.parseInt(dims[1].trim());
        n = Integer.parseInt(dims[2].trim());
        transA = trans.charAt(0) == 'T';
        transB = trans.charAt(1) == 'T';
        Parallel.setThreads(threads);
        Random random = new Random(0);
        a = new float[m * k];
        b = new float[k * n];
        c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = random.nextFloat() * 2 - 1;
        for (int i = 0; i < b.length; i++) b[i] = random.nextFloat() * 2 - 1;
    }

    @Benchmark
    public float[] sgemm() {
        Gemm.sgemm(transA, transB, m, n, k, a, 0, transA ? m : k, b, 0, transB ? k : n, c, 0, n, false, true);
        return c;
    }
}
