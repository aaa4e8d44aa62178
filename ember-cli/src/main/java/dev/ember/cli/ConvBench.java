package dev.ember.cli;

import dev.ember.Ember;
import dev.ember.autograd.Grad;
import dev.ember.ops.Conv;
import dev.ember.tensor.DType;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Arrays;
import java.util.Locale;

/**
 * {@code ember bench conv2d}: FLOAT32 conv2d as a CNN layer runs it: input [N, 32, 14, 14], weight
 * [64, 32, 3, 3] plus bias, stride 1, padding 1. Times the forward pass (no gradient recording) and
 * forward + backward (gradients of input, weight and bias), and prints the median and best of
 * {@code --repeat} runs after a warm-up, with GFLOP/s counting {@code 2*N*Cout*Ho*Wo*C*kH*kW} per
 * pass (three passes for forward + backward). bench/torch_conv.py measures the same in PyTorch.
 *
 * <pre>
 * ember bench conv2d --threads 2
 *   conv2d.forward threads=2 n=128 median_ms=... best_ms=... gflops=...
 *   conv2d.forward_backward threads=2 n=128 median_ms=... best_ms=... gflops=...
 * </pre>
 */
@Command(name = "conv2d", description = "FLOAT32 conv2d forward and forward+backward (N=128, 32->64 channels, 14x14, 3x3).")
final class ConvBench implements Runnable {
    private static final int C = 32, H = 14, W = 14, K = 64, R = 3;

    @Option(names = "--threads", description = "Kernel threads. Default: all (EMBER_NUM_THREADS).")
    Integer threads;

    @Option(names = "--batch", description = "Batch size N. Default: ${DEFAULT-VALUE}.", defaultValue = "128")
    int batch;

    @Option(names = "--repeat", description = "Timed runs; median and best are printed. Default: ${DEFAULT-VALUE}.",
            defaultValue = "20")
    int repeat;

    @Option(names = "--warmup", description = "Seconds of untimed forward and forward+backward runs first, so the JIT has "
            + "compiled every kernel path before anything is timed. Default: ${DEFAULT-VALUE}.", defaultValue = "3")
    double warmup;

    @Override
    public void run() {
        if (batch < 1 || repeat < 1 || !(warmup >= 0)) {
            throw new IllegalArgumentException("bench conv2d: --batch and --repeat must be positive and --warmup non-negative");
        }
        if (threads != null) Ember.setThreads(threads);
        Generator g = new Generator(0);
        Tensor x = Tensor.randn(g, Shape.of(batch, C, H, W), DType.FLOAT32);
        Tensor w = Tensor.randn(g, Shape.of(K, C, R, R), DType.FLOAT32).mul(0.1);
        Tensor b = Tensor.randn(g, Shape.of(K), DType.FLOAT32);
        Tensor gy = Tensor.randn(g, Shape.of(batch, K, H, W), DType.FLOAT32);
        double flops = 2.0 * batch * K * H * W * C * R * R;

        Runnable forward = () -> {
            try (var off = Grad.off()) {
                Conv.conv2d(x, w, b, 1, 1);
            }
        };
        Tensor xg = x.detach().requiresGrad(true), wg = w.detach().requiresGrad(true), bg = b.detach().requiresGrad(true);
        Runnable forwardBackward = () -> {
            xg.zeroGrad();
            wg.zeroGrad();
            bg.zeroGrad();
            Conv.conv2d(xg, wg, bg, 1, 1).backward(gy);
        };
        // Both workloads before timing either: the backward's GEMM calls take paths the forward's do not, and the
        // JIT recompiles (running the vector kernels slowly meanwhile) when it first meets them.
        long end = System.nanoTime() + (long) (warmup * 1e9);
        for (int i = 0; i < 3 || System.nanoTime() < end; i++) {
            forward.run();
            forwardBackward.run();
        }
        report("forward", flops, time(forward));
        report("forward_backward", 3 * flops, time(forwardBackward));
    }

    private double[] time(Runnable body) {
        double[] ms = new double[repeat];
        for (int i = 0; i < repeat; i++) {
            long t0 = System.nanoTime();
            body.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms;
    }

    private void report(String what, double flops, double[] sortedMs) {
        double median = sortedMs[sortedMs.length / 2];
        System.out.printf(Locale.ROOT, "conv2d.%s threads=%d n=%d median_ms=%.3f best_ms=%.3f gflops=%.1f%n", what,
                Ember.threads(), batch, median, sortedMs[0], flops / median / 1e6);
    }
}
