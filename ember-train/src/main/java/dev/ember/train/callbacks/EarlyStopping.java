package dev.ember.train.callbacks;

import dev.ember.nn.Module;
import dev.ember.tensor.Tensor;
import dev.ember.train.Callback;
import dev.ember.train.Logs;
import dev.ember.train.Trainer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stops training when the monitored value has not improved for {@code patience} epochs in a row (Keras's
 * {@code EarlyStopping}); optionally puts the best epoch's weights back into the model at the end.
 *
 * <pre>{@code
 * trainer.fit(train, val, 50, new EarlyStopping(Monitor.of("val_loss"), 3, true));
 * }</pre>
 */
public final class EarlyStopping implements Callback {
    private final Monitor monitor;
    private final int patience;
    private final boolean restoreBestWeights;
    private Trainer trainer;
    private double best;
    private int wait;
    private int bestEpoch = -1;
    private int stoppedEpoch = -1;
    private Map<String, Tensor> bestWeights;

    public EarlyStopping(Monitor monitor, int patience, boolean restoreBestWeights) {
        if (patience < 0) throw new IllegalArgumentException("EarlyStopping: patience must be >= 0, got " + patience);
        this.monitor = monitor;
        this.patience = patience;
        this.restoreBestWeights = restoreBestWeights;
    }

    @Override
    public void onTrainBegin(Trainer trainer) {
        this.trainer = trainer;
        best = monitor.initial();
        wait = 0;
        bestEpoch = -1;
        stoppedEpoch = -1;
        bestWeights = null;
    }

    @Override
    public void onEpochEnd(int epoch, Logs logs) {
        double v = monitor.value(logs, "EarlyStopping");
        if (monitor.improved(v, best)) {
            best = v;
            bestEpoch = epoch;
            wait = 0;
            if (restoreBestWeights) bestWeights = snapshot(trainer.model());
        } else if (++wait >= patience) {
            stoppedEpoch = epoch;
            trainer.stopTraining();
        }
    }

    @Override
    public void onTrainEnd(Logs logs) {
        if (restoreBestWeights && bestWeights != null && stoppedEpoch >= 0) trainer.model().loadStateDict(bestWeights, true);
    }

    /** The best value seen; NaN before the first epoch. */
    public double best() {
        return best;
    }

    /** The epoch of the best value; -1 if none. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** The epoch after which training was stopped; -1 if it was not. */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }

    static Map<String, Tensor> snapshot(Module model) {
        Map<String, Tensor> copy = new LinkedHashMap<>();
        model.stateDict().forEach((k, t) -> copy.put(k, t.detach().copy()));
        return copy;
    }
}
