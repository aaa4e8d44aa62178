package dev.ember.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What {@link Trainer#fit} produced: one {@link Logs} per completed epoch (Keras's {@code History}),
 * in order. Resumed runs list only the epochs trained in this call.
 */
public final class History {
    private final List<Integer> epochs = new ArrayList<>();
    private final List<Logs> logs = new ArrayList<>();

    void add(int epoch, Logs l) {
        epochs.add(epoch);
        logs.add(l);
    }

    /** Per-epoch logs, oldest first (unmodifiable). */
    public List<Logs> epochs() {
        return Collections.unmodifiableList(logs);
    }

    /** The 0-based epoch numbers the logs belong to. */
    public List<Integer> epochNumbers() {
        return Collections.unmodifiableList(epochs);
    }

    /** The values of {@code name} over the epochs (e.g. {@code "val_loss"}). */
    public double[] series(String name) {
        double[] v = new double[logs.size()];
        for (int i = 0; i < v.length; i++) v[i] = logs.get(i).get(name);
        return v;
    }

    /** The last epoch's logs; empty if no epoch completed. */
    public Logs last() {
        return logs.isEmpty() ? Logs.empty() : logs.getLast();
    }

    @Override
    public String toString() {
        return "History(" + logs.size() + " epochs" + (logs.isEmpty() ? "" : ", last: " + last()) + ")";
    }
}
