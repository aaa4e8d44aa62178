package dev.ember.train;

/**
 * A hook into {@link Trainer#fit}: the trainer calls these at the start and end of training, of each
 * epoch and of each batch (Keras's {@code Callback}). Everything around the bare training loop is a
 * callback — the progress bar, TensorBoard logging, checkpoints, early stopping, learning-rate
 * schedules — so users extend the trainer the same way it is built.
 *
 * <p>Epochs and batches are numbered from 0 (as in Keras); displays add 1. {@code logs} hold the running
 * means for the epoch so far ({@code loss}, metric names) and, at an epoch's end, the validation results
 * prefixed {@code val_}. A callback may call {@link Trainer#stopTraining()} to end training after the
 * current batch.
 *
 * <pre>{@code
 * Callback printLr = new Callback() {
 *     public void onEpochEnd(int epoch, Logs logs) { System.out.println("lr " + trainer.learningRate()); }
 * };
 * }</pre>
 */
public interface Callback {
    /** Before the first epoch; {@code trainer} gives access to the model, optimizer and run state. */
    default void onTrainBegin(Trainer trainer) {}

    /** After the last epoch (or an early stop) with the last epoch's logs. */
    default void onTrainEnd(Logs logs) {}

    default void onEpochBegin(int epoch) {}

    /** After an epoch's training batches and its validation, with both sets of results. */
    default void onEpochEnd(int epoch, Logs logs) {}

    default void onBatchBegin(int batch) {}

    /** After a batch's update, with the epoch's running means so far. */
    default void onBatchEnd(int batch, Logs logs) {}
}
