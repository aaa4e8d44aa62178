package dev.ember.train.callbacks;

import dev.ember.train.Callback;
import dev.ember.train.Logs;
import dev.ember.train.Trainer;

import java.io.PrintStream;

/** Stops training as soon as a batch's running loss is NaN or infinite (Keras's {@code TerminateOnNaN}). */
public final class TerminateOnNaN implements Callback {
    private final PrintStream out;
    private Trainer trainer;
    private int epoch;
    private int terminatedBatch = -1;

    public TerminateOnNaN(PrintStream out) {
        this.out = out;
    }

    @Override
    public void onTrainBegin(Trainer trainer) {
        this.trainer = trainer;
        terminatedBatch = -1;
    }

    @Override
    public void onEpochBegin(int epoch) {
        this.epoch = epoch;
    }

    @Override
    public void onBatchEnd(int batch, Logs logs) {
        double loss = logs.get("loss");
        if (!Double.isFinite(loss)) {
            terminatedBatch = batch;
            if (out != null) out.println("TerminateOnNaN: loss is " + loss + " at epoch " + (epoch + 1) + ", batch " + (batch + 1) + "; stopping");
            trainer.stopTraining();
        }
    }

    /** The batch (0-based, within its epoch) that stopped training; -1 if none did. */
    public int terminatedBatch() {
        return terminatedBatch;
    }
}
