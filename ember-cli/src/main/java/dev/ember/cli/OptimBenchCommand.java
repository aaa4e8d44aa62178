package dev.ember.cli;

import dev.ember.nn.Linear;
import dev.ember.nn.Module;
import dev.ember.nn.ReLU;
import dev.ember.nn.Sequential;
import dev.ember.optim.Adagrad;
import dev.ember.optim.Adam;
import dev.ember.optim.AdamW;
import dev.ember.optim.Optimizer;
import dev.ember.optim.RMSprop;
import dev.ember.optim.SGD;
import dev.ember.tensor.DType;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code ember bench optim}: the cost of an optimizer step next to a training step of the MLP
 * 784-256-128-10 (forward, cross-entropy, backward), FLOAT32. tools/bench/optim_bench.py measures
 * the same in PyTorch. Prints {@code optim name=... step_ms=... fwd_bwd_ms=... share=...} lines.
 */
@Command(name = "optim", description = "Optimizer step time vs the MLP 784-256-128-10 training step.")
final class OptimBenchCommand implements Runnable {
    @Option(names = "--batch", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch = 64;

    @Option(names = "--iters", description = "Timed iterations per measurement (default ${DEFAULT-VALUE}).")
    int iters = 200;

    @Option(names = "--rounds", description = "Measurements per figure; the median is printed (default ${DEFAULT-VALUE}).")
    int rounds = 5;

    @Override
    public void run() {
        Map<String, Function<List<Tensor>, Optimizer>> optimizers = new LinkedHashMap<>();
        optimizers.put("sgd", p -> new SGD(p, 0.01));
        optimizers.put("sgd_momentum", p -> new SGD(p, SGD.options().lr(0.01).momentum(0.9).nesterov(true)));
        optimizers.put("adam", p -> new Adam(p, 1e-3));
        optimizers.put("adamw", p -> new AdamW(p, AdamW.options().lr(1e-3).amsgrad(true)));
        optimizers.put("rmsprop", p -> new RMSprop(p, RMSprop.options().lr(1e-3).momentum(0.9).centered(true)));
        optimizers.put("adagrad", p -> new Adagrad(p, 1e-2));

        Generator gen = new Generator(0);
        Module model = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 128), new ReLU(), new Linear(128, 10));
        Tensor x = Tensor.randn(gen, Shape.of(batch, 784), DType.FLOAT32);
        Tensor oneHot = Tensor.zeros(batch, 10);
        for (int i = 0; i < batch; i++) oneHot.select(0, i).select(0, i % 10).fillInPlace(1);
        Runnable forwardBackward = () -> {
            for (Tensor p : model.parameters()) p.zeroGrad();
            model.forward(x).logSoftmax(1).mul(oneHot).sum().mul(-1.0 / batch).backward();
        };
        double fb = median(forwardBackward);
        long n = model.parameters().stream().mapToLong(Tensor::numel).sum();
        System.out.printf(Locale.ROOT, "optim model=mlp-784-256-128-10 params=%d batch=%d fwd_bwd_ms=%.4f%n", n, batch, fb);
        for (var e : optimizers.entrySet()) {
            Optimizer opt = e.getValue().apply(model.parameters());
            forwardBackward.run(); // gradients for the optimizer to consume (reused every step)
            double step = median(opt::step);
            System.out.printf(Locale.ROOT, "optim name=%s step_ms=%.4f fwd_bwd_ms=%.4f share=%.3f%n", e.getKey(), step, fb,
                    step / (step + fb));
        }
    }

    private double median(Runnable body) {
        for (int i = 0; i < Math.max(20, iters / 4); i++) body.run();
        double[] ms = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < iters; i++) body.run();
            ms[r] = (System.nanoTime() - t0) / 1e6 / iters;
        }
        java.util.Arrays.sort(ms);
        return ms[rounds / 2];
    }
}
