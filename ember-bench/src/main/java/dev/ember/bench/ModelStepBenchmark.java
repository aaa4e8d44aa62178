package dev.ember.bench;

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
 * One training step of a default model ({@code ember train}'s {@link Models}; the CNN by default) for
 * profiling: zero the gradients, forward, {@code F.crossEntropy}, backward, {@code SGD(0.05, momentum 0.9).step()}
 * on a fixed random batch; {@link #inference} times a forward pass in eval mode without gradients. The
 * same workload as {@code ember bench model}, which is the one to compare with PyTorch
 * ({@code bench/compare-pytorch}); this one is for JMH's profilers, e.g.
 *
 * <pre>
 * java -jar ember-bench/target/benchmarks.jar ModelStepBenchmark.trainStep -p model=cnn -prof gc
 * java -jar ember-bench/target/benchmarks.jar ModelStepBenchmark.trainStep -p model=cnn \
 *      -jvmArgsAppend "-XX:StartFlightRecording=filename=cnn.jfr,settings=profile"
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
        "-XX:+UseG1GC", "-XX:G1HeapRegionSize=32m"}) // the ./ember launcher's flags
public class ModelStepBenchmark {
    /** mlp, cnn or resnet. */
    @Param({"cnn"})
    public String model;

    @Param({"128"})
    public int batch;

    @Param({"2"})
    public int threads;

    private Module net;
    private SGD optimizer;
    private Tensor x, y;

    @Setup(Level.Trial)
    public void setUp() {
        Ember.setThreads(threads);
        Ember.manualSeed(0);
        int[] chw = model.equals("resnet") ? new int[] {3, 32, 32} : new int[] {1, 28, 28};
        net = Models.create(model, chw[0], chw[1], chw[2], 10);
        optimizer = new SGD(net.parameters(), 0.05, 0.9);
        Generator gen = new Generator(1);
        x = Tensor.randn(gen, Shape.of(batch, chw[0], chw[1], chw[2]), DType.FLOAT32);
        y = Tensor.randint(gen, 0, 10, Shape.of(batch));
    }

    @Benchmark
    public Tensor trainStep() {
        net.train();
        optimizer.zeroGrad();
        Tensor loss = F.crossEntropy(net.call(x), y);
        loss.backward();
        optimizer.step();
        return loss;
    }

    @Benchmark
    public Tensor inference() {
        net.eval();
        try (var off = Grad.inference()) {
            return net.call(x);
        }
    }
}
