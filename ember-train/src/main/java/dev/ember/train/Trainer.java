package dev.ember.train;

import dev.ember.autograd.Grad;
import dev.ember.data.Batch;
import dev.ember.data.DataLoader;
import dev.ember.nn.Module;
import dev.ember.ops.Joining;
import dev.ember.optim.Optimizer;
import dev.ember.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BinaryOperator;

/**
 * Keras-style training over the PyTorch-style core: {@link #fit}, {@link #evaluate} and {@link #predict}
 * for a model, an optimizer, a loss and streaming metrics. The loop itself is the plain eager one
 * ({@code zeroGrad}, forward, loss, {@code backward}, {@code step}); everything else — progress display,
 * logging, checkpoints, schedules, early stopping — comes in as {@link Callback}s.
 *
 * <pre>{@code
 * Trainer trainer = new Trainer(model, new SGD(model.parameters(), 0.05, 0.9), F::crossEntropy, Metrics.accuracy());
 * History h = trainer.fit(trainLoader, testLoader, 3, Callbacks.progressBar(), Callbacks.csvLogger(dir.resolve("metrics.csv")));
 * Logs test = trainer.evaluate(testLoader);      // loss: 0.28 - accuracy: 0.90
 * }</pre>
 *
 * <p><b>Logs.</b> Each batch reports the epoch's running means so far: {@code loss} (the mean of the
 * per-batch losses weighted by batch size) and one entry per metric. At an epoch's end the validation
 * results are added with the prefix {@code val_}. Metrics see the model's outputs with gradients off.
 *
 * <p><b>Gradient accumulation.</b> With {@link #gradientAccumulation(int) k > 1} the optimizer steps once
 * every k batches (and after the epoch's last batch) on the sum of the k losses each divided by k, which
 * for equal batches equals one step on a k-times larger batch.
 *
 * <p><b>Epochs and resuming.</b> {@link #fit} trains epochs {@link #initialEpoch()} up to (excluding) the
 * given count, telling the loader which epoch to load ({@link DataLoader#epoch(int)}), so a run that is
 * resumed from a checkpoint taken at an epoch's end sees the same batches as an uninterrupted one.
 */
public final class Trainer {
    private final Module model;
    private final Optimizer optimizer;
    private final BinaryOperator<Tensor> loss;
    private final List<Metric> metrics;
    private int accumulation = 1;
    private int initialEpoch;
    private int epoch = -1;
    private long globalStep;
    private volatile boolean stopRequested;
    private long trainNanos;
    private long trainExamples;

    /**
     * @param model     the model; {@code model.call(batch.x())} gives the output the loss and metrics see
     * @param optimizer updates the model's parameters
     * @param loss      {@code (output, target) -> scalar loss}, e.g. {@code F::crossEntropy}
     * @param metrics   streaming metrics reported next to the loss (names must differ from {@code loss})
     */
    public Trainer(Module model, Optimizer optimizer, BinaryOperator<Tensor> loss, Metric... metrics) {
        this.model = Objects.requireNonNull(model, "Trainer: model is null");
        this.optimizer = Objects.requireNonNull(optimizer, "Trainer: optimizer is null");
        this.loss = Objects.requireNonNull(loss, "Trainer: loss is null");
        this.metrics = List.of(metrics);
        List<String> names = new ArrayList<>(List.of("loss"));
        for (Metric m : this.metrics) {
            if (names.contains(m.name())) {
                throw new IllegalArgumentException("Trainer: two results would be named '" + m.name() + "' (metrics " + names + ")");
            }
            names.add(m.name());
        }
    }

    // ------------------------------------------------------------------ configuration

    /** Steps the optimizer every {@code steps} batches (default 1). Returns this. */
    public Trainer gradientAccumulation(int steps) {
        if (steps < 1) throw new IllegalArgumentException("Trainer.gradientAccumulation: steps must be >= 1, got " + steps);
        this.accumulation = steps;
        return this;
    }

    /** The first epoch the next {@link #fit} trains (0 unless resuming). Returns this. */
    public Trainer initialEpoch(int epoch) {
        if (epoch < 0) throw new IllegalArgumentException("Trainer.initialEpoch: epoch must be >= 0, got " + epoch);
        this.initialEpoch = epoch;
        return this;
    }

    /** Sets the optimizer-step counter (restored from a checkpoint). Returns this. */
    public Trainer globalStep(long step) {
        if (step < 0) throw new IllegalArgumentException("Trainer.globalStep: step must be >= 0, got " + step);
        this.globalStep = step;
        return this;
    }

    // ------------------------------------------------------------------ state callbacks read

    public Module model() {
        return model;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public List<Metric> metrics() {
        return metrics;
    }

    /** The first epoch of the next (or current) {@link #fit}. */
    public int initialEpoch() {
        return initialEpoch;
    }

    /** The epoch being trained (0-based); -1 before training. */
    public int epoch() {
        return epoch;
    }

    /** Optimizer steps taken so far, across fits and resumes. */
    public long globalStep() {
        return globalStep;
    }

    /** The first parameter group's learning rate. */
    public double learningRate() {
        return optimizer.paramGroups().getFirst().lr();
    }

    /** Asks {@link #fit} to stop after the current batch (early stopping, NaN losses). */
    public void stopTraining() {
        stopRequested = true;
    }

    /** Whether a callback asked training to stop. */
    public boolean stopRequested() {
        return stopRequested;
    }

    /** Training throughput so far: examples per second of the training loops (forward, backward, update; no validation). */
    public double examplesPerSecond() {
        return trainNanos == 0 ? 0 : trainExamples / (trainNanos / 1e9);
    }

    /** Seconds spent in training loops so far (no validation). */
    public double trainSeconds() {
        return trainNanos / 1e9;
    }

    // ------------------------------------------------------------------ fit / evaluate / predict

    /** Trains for epochs {@link #initialEpoch()} .. {@code epochs - 1} without validation. */
    public History fit(DataLoader<Batch> train, int epochs, Callback... callbacks) {
        return fit(train, null, epochs, callbacks);
    }

    /**
     * Trains for epochs {@link #initialEpoch()} .. {@code epochs - 1}, evaluating on {@code validation}
     * (may be null) after each. Returns the per-epoch logs. After it returns, {@link #initialEpoch()} is the
     * next epoch, so a second call continues where this one stopped.
     */
    public History fit(DataLoader<Batch> train, Iterable<Batch> validation, int epochs, Callback... callbacks) {
        Objects.requireNonNull(train, "Trainer.fit: training data is null");
        if (epochs < 0) throw new IllegalArgumentException("Trainer.fit: epochs must be >= 0, got " + epochs);
        if (train.size() == 0) throw new IllegalArgumentException("Trainer.fit: the training loader has no batches (" + train + ")");
        List<Callback> cbs = List.of(callbacks);
        History history = new History();
        stopRequested = false;
        for (Callback c : cbs) c.onTrainBegin(this);
        Logs last = Logs.empty();
        for (int e = initialEpoch; e < epochs && !stopRequested; e++) {
            epoch = e;
            for (Callback c : cbs) c.onEpochBegin(e);
            Logs logs = trainEpoch(train, e, cbs);
            if (validation != null) logs = logs.withAll("val_", evaluate(validation));
            initialEpoch = e + 1;
            history.add(e, logs);
            last = logs;
            for (Callback c : cbs) c.onEpochEnd(e, logs);
        }
        for (Callback c : cbs) c.onTrainEnd(last);
        return history;
    }

    private Logs trainEpoch(DataLoader<Batch> train, int e, List<Callback> cbs) {
        model.train();
        MeanMetric lossMean = new MeanMetric("loss");
        for (Metric m : metrics) m.reset();
        Logs logs = Logs.empty();
        int steps = train.size();
        long start = System.nanoTime();
        long examples = 0;
        int batch = 0;
        var it = train.iterator(e);
        train.epoch(e + 1);
        try (it) {
            while (it.hasNext() && !stopRequested) {
                Batch b = it.next();
                for (Callback c : cbs) c.onBatchBegin(batch);
                if (batch % accumulation == 0) optimizer.zeroGrad();
                Tensor out = model.call(b.x());
                Tensor l = loss.apply(out, b.y());
                if (l.numel() != 1) {
                    throw new IllegalStateException("Trainer: the loss must be a scalar, got shape " + l.shape()
                            + " (use a mean or sum reduction)");
                }
                (accumulation > 1 ? l.div(accumulation) : l).backward();
                boolean lastOfEpoch = batch == steps - 1 || !it.hasNext();
                if ((batch + 1) % accumulation == 0 || lastOfEpoch) {
                    optimizer.step();
                    globalStep++;
                }
                int n = b.size();
                examples += n;
                lossMean.add(l.item(), n);
                try (var g = Grad.off()) {
                    Tensor o = out.detach();
                    for (Metric m : metrics) m.update(o, b.y());
                }
                logs = results(lossMean);
                for (Callback c : cbs) c.onBatchEnd(batch, logs);
                batch++;
            }
        }
        trainNanos += System.nanoTime() - start;
        trainExamples += examples;
        return logs;
    }

    private Logs results(MeanMetric lossMean) {
        Logs logs = Logs.empty().with("loss", lossMean.result());
        for (Metric m : metrics) logs = logs.with(m.name(), m.result());
        return logs;
    }

    /**
     * The loss and metrics of the model on {@code data} in eval mode without gradients; the model's
     * training mode is restored afterwards.
     */
    public Logs evaluate(Iterable<Batch> data) {
        Objects.requireNonNull(data, "Trainer.evaluate: data is null");
        boolean wasTraining = model.isTraining();
        model.eval();
        MeanMetric lossMean = new MeanMetric("loss");
        for (Metric m : metrics) m.reset();
        try (var g = Grad.inference()) {
            for (Batch b : data) {
                Tensor out = model.call(b.x());
                lossMean.add(loss.apply(out, b.y()).item(), b.size());
                for (Metric m : metrics) m.update(out, b.y());
            }
        } finally {
            model.train(wasTraining);
        }
        if (Double.isNaN(lossMean.result())) throw new IllegalArgumentException("Trainer.evaluate: the data has no batches");
        return results(lossMean);
    }

    /** The model's outputs for every batch of {@code data}, concatenated along dim 0 (eval mode, no gradients). */
    public Tensor predict(Iterable<Batch> data) {
        Objects.requireNonNull(data, "Trainer.predict: data is null");
        List<Tensor> outs = new ArrayList<>();
        for (Batch b : data) outs.add(predict(b.x()));
        if (outs.isEmpty()) throw new IllegalArgumentException("Trainer.predict: the data has no batches");
        return outs.size() == 1 ? outs.getFirst() : Joining.cat(outs, 0);
    }

    /** The model's output for one input batch (eval mode, no gradients; training mode restored afterwards). */
    public Tensor predict(Tensor x) {
        boolean wasTraining = model.isTraining();
        model.eval();
        try (var g = Grad.inference()) {
            return model.call(x);
        } finally {
            model.train(wasTraining);
        }
    }
}
