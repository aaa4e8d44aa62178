package dev.ember.cli;

import dev.ember.kernels.Backend;
import dev.ember.kernels.BinaryOp;
import dev.ember.kernels.Backends;
import dev.ember.kernels.UnaryOp;
import dev.ember.kernels.cpu.Parallel;
import dev.ember.tensor.DType;
import dev.ember.tensor.Device;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * {@code ember bench elementwise}: memory-bound FLOAT32 kernels on one large tensor, one line per
 * workload, e.g. {@code add n=16777216 threads=2 gbps=35.2 ms=5.72}. GB/s counts bytes read plus bytes
 * written (add: 12 per element, relu: 8, sum: 4), over the median of the timed repetitions, which
 * start once every selected workload has been warmed up.
 *
 * <p>Workloads: {@code add}, {@code relu}, {@code exp}, {@code tanh}, {@code gelu} (the tensor ops,
 * each allocating a fresh output as a user's code does), {@code add_out} and {@code relu_out} (the same
 * kernels into a preallocated output, as PyTorch's {@code out=}), {@code alloc} (allocating an
 * output alone: Java zeroes every new array), {@code sum} (full reduction), {@code sum_dim0} (column
 * sums of [n/256, 256], a bias gradient), {@code softmax} (rows of 1024). {@code bench/torch_elementwise.py}
 * prints the same lines for PyTorch.
 */
@Command(name = "elementwise", description = "Elementwise, reduction and softmax kernels on large FLOAT32 tensors (GB/s).")
final class ElementwiseBench implements Runnable {
    @Option(names = "--size", description = "Elements per tensor (default ${DEFAULT-VALUE}).", defaultValue = "16777216")
    int size;

    @Option(names = "--threads", description = "Kernel threads (default: all processors).")
    Integer threads;

    @Option(names = "--reps", description = "Timed repetitions per workload (default ${DEFAULT-VALUE}).", defaultValue = "20")
    int reps;

    @Option(names = "--only", description = "Comma-separated workloads to run (default: all).")
    String only;

    /** Results land here so the JIT cannot drop a workload whose result is unused. */
    private Object sink;

    @Override
    public void run() {
        if (size < 1024) throw new IllegalArgumentException("bench elementwise: --size must be at least 1024, got " + size);
        if (threads != null) Parallel.setThreads(threads);
        Generator gen = new Generator(42);
        Shape shape = Shape.of(size);
        Tensor a = Tensor.rand(gen, shape, DType.FLOAT32).sub(0.5);
        Tensor b = Tensor.rand(gen, shape, DType.FLOAT32);
        Tensor out = Tensor.empty(shape, DType.FLOAT32, Device.CPU);
        Backend cpu = Backends.get(Device.CPU);
        Tensor rows = a.reshape(size / 1024, 1024);
        Tensor cols = a.reshape(size / 256, 256);
        long n = size;
        List<Workload> all = List.of(
                new Workload("add", 12 * n, () -> a.add(b)),
                new Workload("add_out", 12 * n, () -> {
                    cpu.binary(BinaryOp.ADD, a, b, out, 0);
                    return out;
                }),
                new Workload("relu", 8 * n, a::relu),
                new Workload("relu_out", 8 * n, () -> {
                    cpu.unary(UnaryOp.RELU, a, out, 0, 0);
                    return out;
                }),
                new Workload("alloc", 4 * n, () -> Tensor.empty(shape, DType.FLOAT32, Device.CPU)),
                new Workload("exp", 8 * n, a::exp),
                new Workload("tanh", 8 * n, a::tanh),
                new Workload("gelu", 8 * n, a::gelu),
                new Workload("sum", 4 * n, a::sum),
                new Workload("sum_dim0", 4 * n, () -> cols.sum(new int[] {0}, false)),
                new Workload("softmax", 8 * n, () -> rows.softmax(-1)));
        List<Workload> selected = all.stream()
                .filter(w -> only == null || Arrays.stream(only.split(",")).anyMatch(s -> s.trim().equals(w.name)))
                .toList();
        // Warm everything up before timing anything: each workload for at least 10 calls and a third of
        // a second, so that the JIT has compiled all loops (a compiler thread busy in the background
        // would take the second core from a two-thread measurement) and the heap has grown to its
        // steady size (the first seconds of 64 MB allocations trigger resizing collections).
        for (Workload w : selected) {
            long warmEnd = System.nanoTime() + 333_000_000L;
            for (int i = 0; i < 10 || System.nanoTime() < warmEnd; i++) sink = w.body.get();
        }
        for (Workload w : selected) time(w);
    }

    private record Workload(String name, long bytes, Supplier<Object> body) {
    }

    private void time(Workload w) {
        for (int i = 0; i < 3; i++) sink = w.body.get();
        double[] ms = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            sink = w.body.get();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        double median = ms[reps / 2];
        System.out.printf(Locale.ROOT, "%s n=%d threads=%d gbps=%.1f ms=%.3f%n", w.name, size, Parallel.threads(),
                w.bytes / median / 1e6, median);
    }
}
