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

    /** A history of the given epochs' logs (e.g. read back from a checkpoint when a run resumes). */
    public static History of(List<Integer> epochNumbers, List<Logs> epochLogs) {
        if (epochNumbers.size() != epochLogs.size()) {
            throw new IllegalArgumentException("History.of: " + epochNumbers.size() + " epoch numbers for " + epochLogs.size() + " logs");
        }
        History h = new History();
        for (int i = 0; i < epochLogs.size(); i++) h.add(epochNumbers.get(i), epochLogs.get(i));
        return h;
    }

    /** This history followed by {@code later}'s epochs (a resumed run's full history). */
    public History then(History later) {
        History h = new History();
        for (int i = 0; i < logs.size(); i++) h.add(epochs.get(i), logs.get(i));
        for (int i = 0; i < later.logs.size(); i++) h.add(later.epochs.get(i), later.logs.get(i));
        return h;
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
