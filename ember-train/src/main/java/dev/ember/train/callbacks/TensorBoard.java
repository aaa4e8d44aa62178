package dev.ember.train.callbacks;

import dev.ember.tensor.Tensor;
import dev.ember.train.Callback;
import dev.ember.train.Logs;
import dev.ember.train.Trainer;
import dev.ember.train.tensorboard.SummaryWriter;

import java.nio.file.Path;
import java.util.Map;

/**
 * Logs training to TensorBoard event files in {@code logDir} (Keras's {@code TensorBoard} callback):
 * per epoch, each logged value as {@code <name>/train} or {@code <name>/val} (so train and validation
 * curves share a chart) and {@code learning_rate}; every {@code batchEvery} batches the running loss as
 * {@code batch/loss} at the global step; optionally a histogram of every parameter per epoch and the
 * model graph traced from a sample input.
 *
 * <pre>{@code
 * new TensorBoard(runDir).histograms(true).graph(sampleBatch.x())
 * // then: tensorboard --logdir runs
 * }</pre>
 */
public final class TensorBoard implements Callback {
    private final Path logDir;
    private boolean histograms;
    private int batchEvery = 50;
    private Tensor graphSample;
    private SummaryWriter writer;
    private Trainer trainer;

    public TensorBoard(Path logDir) {
        this.logDir = logDir;
    }

    /** Also writes a histogram of each parameter at every epoch's end. Returns this. */
    public TensorBoard histograms(boolean on) {
        this.histograms = on;
        return this;
    }

    /** Logs the running batch loss every {@code n} batches (0: never). Returns this. */
    public TensorBoard batchEvery(int n) {
        if (n < 0) throw new IllegalArgumentException("TensorBoard.batchEvery: n must be >= 0, got " + n);
        this.batchEvery = n;
        return this;
    }

    /** Writes the model graph traced with {@code sample} (one input batch) when training begins. Returns this. */
    public TensorBoard graph(Tensor sample) {
        this.graphSample = sample;
        return this;
    }

    /** The writer (open between the start and end of training). */
    public SummaryWriter writer() {
        return writer;
    }

    @Override
    public void onTrainBegin(Trainer trainer) {
        this.trainer = trainer;
        writer = new SummaryWriter(logDir);
        if (graphSample != null) writer.addGraph(ModuleGraph.trace(trainer.model(), graphSample));
    }

    @Override
    public void onBatchEnd(int batch, Logs logs) {
        if (batchEvery > 0 && (batch + 1) % batchEvery == 0) writer.addScalar("batch/loss", logs.get("loss"), trainer.globalStep());
    }

    @Override
    public void onEpochEnd(int epoch, Logs logs) {
        long step = epoch + 1L;
        for (Map.Entry<String, Double> e : logs.asMap().entrySet()) {
            String k = e.getKey();
            String tag = k.startsWith("val_") ? k.substring(4) + "/val" : k + "/train";
            writer.addScalar(tag, e.getValue(), step);
        }
        writer.addScalar("learning_rate", trainer.learningRate(), step);
        if (histograms) trainer.model().namedParameters().forEach((name, p) -> writer.addHistogram(name, p.detach(), step));
        writer.flush();
    }

    @Override
    public void onTrainEnd(Logs logs) {
        if (writer != null) writer.close();
        writer = null;
    }
}
