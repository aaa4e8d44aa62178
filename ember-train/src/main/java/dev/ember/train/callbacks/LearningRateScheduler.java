package dev.ember.train.callbacks;

import dev.ember.optim.lr.LRScheduler;
import dev.ember.optim.lr.ReduceLROnPlateau;
import dev.ember.train.Callback;
import dev.ember.train.Logs;

/**
 * Steps a learning-rate schedule from the training loop: an {@link LRScheduler} once per epoch (the
 * PyTorch convention) or once per batch (for schedules such as {@code OneCycleLR} sized in steps), or a
 * {@link ReduceLROnPlateau} with a monitored value at each epoch's end.
 */
public final class LearningRateScheduler implements Callback {
    private final LRScheduler scheduler;
    private final ReduceLROnPlateau plateau;
    private final Monitor monitor;
    private final boolean perBatch;

    private LearningRateScheduler(LRScheduler scheduler, ReduceLROnPlateau plateau, Monitor monitor, boolean perBatch) {
        this.scheduler = scheduler;
        this.plateau = plateau;
        this.monitor = monitor;
        this.perBatch = perBatch;
    }

    /** Steps {@code scheduler} after every epoch. */
    public static LearningRateScheduler perEpoch(LRScheduler scheduler) {
        return new LearningRateScheduler(java.util.Objects.requireNonNull(scheduler, "LearningRateScheduler: scheduler is null"), null, null, false);
    }

    /** Steps {@code scheduler} after every batch. */
    public static LearningRateScheduler perBatch(LRScheduler scheduler) {
        return new LearningRateScheduler(java.util.Objects.requireNonNull(scheduler, "LearningRateScheduler: scheduler is null"), null, null, true);
    }

    /** Steps {@code plateau} with the value of {@code monitor} (e.g. {@code "val_loss"}) after every epoch. */
    public static LearningRateScheduler onPlateau(ReduceLROnPlateau plateau, String monitor) {
        return new LearningRateScheduler(null, java.util.Objects.requireNonNull(plateau, "LearningRateScheduler: scheduler is null"),
                Monitor.of(monitor), false);
    }

    /** The per-epoch or per-batch schedule; null for a plateau schedule. */
    public LRScheduler scheduler() {
        return scheduler;
    }

    /** The plateau schedule; null otherwise. */
    public ReduceLROnPlateau plateau() {
        return plateau;
    }

    @Override
    public void onBatchEnd(int batch, Logs logs) {
        if (perBatch) scheduler.step();
    }

    @Override
    public void onEpochEnd(int epoch, Logs logs) {
        if (plateau != null) plateau.step(monitor.value(logs, "LearningRateScheduler"));
        else if (!perBatch) scheduler.step();
    }
}
