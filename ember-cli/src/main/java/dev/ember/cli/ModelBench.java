package dev.ember.cli;

import dev.ember.Ember;
import dev.ember.autograd.Grad;
import dev.ember.nn.F;
import dev.ember.nn.Module;
import dev.ember.optim.SGD;
import dev.ember.tensor.DType;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;
import dev.ember.train.models.Models;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@code ember bench model}: whole-model speed of the models {@code ember train} offers
 * ({@link Models}: {@code mlp} and {@code cnn} on 1x28x28 images, {@code resnet} on 3x32x32, 10 classes),
 * on random FLOAT32 data of the right shape. {@code --mode train} times full training steps (zero the
 * gradients, forward, {@code F.crossEntropy}, backward, {@code SGD(lr 0.05, momentum 0.9).step()});
 * {@code --mode infer} times forward passes in evaluation mode with gradient recording off.
 * {@code bench/torch_models.py} measures the same in PyTorch, and {@code bench/compare-pytorch} runs
 * both side by side.
 *
 * <p>Warm-up: at least {@code --warmup} seconds and then until the JIT has compiled nothing for half a
 * second (capped), so the timed steps run compiled kernels. Timing: every step is timed on its own, for
 * at least {@code --iters} steps and {@code --min-time} seconds; the median and best are printed.
 * {@code peak_rss_mb} is the process's peak resident set ({@code VmHWM}) at the end, so run each
 * workload in its own process to get a per-workload figure.
 *
 * <pre>
 * ember bench model --model cnn --mode train --threads 2
 *   model.cnn.train batch=128 threads=2 median_ms=... best_ms=... images_per_second=... peak_rss_mb=...
 * ember bench model --model mlp --mode infer --batch 1 --threads 2
 *   model.mlp.infer batch=1 threads=2 median_ms=... best_ms=... images_per_second=... peak_rss_mb=...
 * </pre>
 */
@Command(name = "model", description = "Training steps or inference passes of the mlp, cnn or resnet model (ms per step, images/s, peak RSS).")
final class ModelBench implements Runnable {
    private static final int CLASSES = 10;
    private static final long WARMUP_EXTRA_LIMIT_NANOS = 60_000_000_000L;
    private static final int MAX_ITERS = 100_000;

    @Option(names = "--model", description = "mlp, cnn or resnet. Default: ${DEFAULT-VALUE}.", defaultValue = "cnn")
    String model;

    @Option(names = "--mode", description = "train (full training steps) or infer (forward passes). Default: ${DEFAULT-VALUE}.",
            defaultValue = "train")
    String mode;

    @Option(names = "--batch", description = "Batch size. Default: 128 for train, 1000 for infer.")
    Integer batch;

    @Option(names = "--threads", description = "Kernel threads. Default: all (EMBER_NUM_THREADS).")
    Integer threads;

    @Option(names = "--iters", description = "At least this many timed steps. Default: ${DEFAULT-VALUE}.", defaultValue = "20")
    int iters;

    @Option(names = "--min-time", description = "And at least this many seconds of timed steps. Default: ${DEFAULT-VALUE}.",
            defaultValue = "1")
    double minTime;

    @Option(names = "--warmup", description = "Seconds of untimed steps first, then more until the JIT is idle (0: just three "
            + "steps, for tests). Default: ${DEFAULT-VALUE}.",
            defaultValue = "3")
    double warmup;

    @Option(names = "--seed", description = "Seed of the weights and the random data. Default: ${DEFAULT-VALUE}.", defaultValue = "0")
    long seed;

    @Override
    public void run() {
        if (!Models.NAMES.contains(model)) {
            throw new IllegalArgumentException("bench model: --model must be one of " + String.join(", ", Models.NAMES) + ", got '" + model + "'");
        }
        boolean train = switch (mode) {
            case "train" -> true;
            case "infer" -> false;
            default -> throw new IllegalArgumentException("bench model: --mode must be train or infer, got '" + mode + "'");
        };
        int n = batch != null ? batch : train ? 128 : 1000;
        if (n < 1 || iters < 1 || !(minTime >= 0) || !(warmup >= 0)) {
            throw new IllegalArgumentException("bench model: --batch and --iters must be positive, --min-time and --warmup non-negative; got batch="
                    + n + " iters=" + iters + " min-time=" + minTime + " warmup=" + warmup);
        }
        if (threads != null) Ember.setThreads(threads);

        Ember.manualSeed(seed);
        int[] chw = inputShape(model);
        Module net = Models.create(model, chw[0], chw[1], chw[2], CLASSES);
        Generator gen = new Generator(seed + 1);
        Tensor x = Tensor.randn(gen, Shape.of(n, chw[0], chw[1], chw[2]), DType.FLOAT32);
        Tensor y = Tensor.randint(gen, 0, CLASSES, Shape.of(n));
        Runnable step;
        if (train) {
            net.train();
            SGD opt = new SGD(net.parameters(), 0.05, 0.9);
            step = () -> {
                opt.zeroGrad();
                Tensor loss = F.crossEntropy(net.call(x), y);
                loss.backward();
                opt.step();
            };
        } else {
            net.eval();
            step = () -> {
                try (var off = Grad.inference()) {
                    net.call(x);
                }
            };
        }

        double warmSeconds = warmUp(step);
        double[] ms = time(step);
        double median = ms[ms.length / 2];
        System.out.printf(Locale.ROOT, "model.%s.%s batch=%d threads=%d median_ms=%.3f best_ms=%.3f images_per_second=%.1f "
                        + "peak_rss_mb=%.1f steps=%d warmup_s=%.1f%n",
                model, mode, n, Ember.threads(), median, ms[0], n * 1000.0 / median, peakRssMb(), ms.length, warmSeconds);
    }

    /** [channels, height, width] of the images each model is benchmarked on (Fashion-MNIST or CIFAR shaped). */
    static int[] inputShape(String model) {
        return model.equals("resnet") ? new int[] {3, 32, 32} : new int[] {1, 28, 28};
    }

    /**
     * Runs {@code step} for at least {@code --warmup} seconds (and 3 times), then until the JIT has been idle for
     * {@value JitIdle#QUIET_NANOS} ns: a step whose kernels are still interpreted or C1-compiled can be 10-100x slower,
     * and on a busy machine C2 gets to them late. {@code --warmup 0} runs the three steps only. Returns the seconds spent.
     */
    private double warmUp(Runnable step) {
        JitIdle idle = new JitIdle();
        long start = System.nanoTime(), minEnd = start + (long) (warmup * 1e9), hardEnd = minEnd + WARMUP_EXTRA_LIMIT_NANOS;
        for (int i = 0; ; i++) {
            step.run();
            long now = System.nanoTime();
            boolean quiet = idle.quiet(now);
            if (i >= 2 && now >= minEnd && (quiet || warmup == 0)) break;
            if (i >= 2 && now >= hardEnd) break;
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Times steps one by one: at least {@code --iters} of them and {@code --min-time} seconds. Sorted milliseconds. */
    private double[] time(Runnable step) {
        double[] ms = new double[Math.max(iters, 16)];
        int count = 0;
        long start = System.nanoTime(), minNanos = (long) (minTime * 1e9);
        while (count < iters || (System.nanoTime() - start < minNanos && count < MAX_ITERS)) {
            long t0 = System.nanoTime();
            step.run();
            long t1 = System.nanoTime();
            if (count == ms.length) ms = Arrays.copyOf(ms, ms.length * 2);
            ms[count++] = (t1 - t0) / 1e6;
        }
        ms = Arrays.copyOf(ms, count);
        Arrays.sort(ms);
        return ms;
    }

    /** The process's peak resident set size in MiB ({@code VmHWM} of /proc/self/status), or NaN where there is no /proc. */
    static double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) / 1024.0; // kB
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no figure
        }
        return Double.NaN;
    }
}
