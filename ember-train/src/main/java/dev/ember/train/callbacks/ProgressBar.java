package dev.ember.train.callbacks;

import dev.ember.train.Callback;
import dev.ember.train.Logs;
import dev.ember.train.Progbar;

import java.io.PrintStream;

/**
 * Keras's progress display as a callback: {@code Epoch 1/3}, then a bar redrawn in place on a terminal
 * ({@code 469/469 [==============================] - 12s 25ms/step - loss: 0.3500 - accuracy: 0.8700 -
 * val_loss: ...}), or only the finished line per epoch when the output is not a terminal.
 */
public final class ProgressBar implements Callback {
    private final PrintStream out;
    private final boolean terminal;
    private final int epochs;
    private Progbar bar;
    private final int steps;
    private int lastBatch;

    /**
     * @param out      where to print
     * @param terminal redraw in place (true on an interactive terminal: {@link Progbar#stdoutIsTerminal()})
     * @param epochs   the epoch count shown as {@code Epoch e/epochs}
     * @param steps    batches per epoch (the bar's length)
     */
    public ProgressBar(PrintStream out, boolean terminal, int epochs, int steps) {
        this.out = out;
        this.terminal = terminal;
        this.epochs = epochs;
        this.steps = steps;
    }

    @Override
    public void onEpochBegin(int epoch) {
        out.println("Epoch " + (epoch + 1) + "/" + epochs);
        bar = new Progbar(steps, out, terminal);
        lastBatch = 0;
    }

    @Override
    public void onBatchEnd(int batch, Logs logs) {
        lastBatch = batch + 1;
        // The last batch's line waits for the epoch's end so the validation results join it.
        if (lastBatch < steps) bar.update(lastBatch, logs);
    }

    @Override
    public void onEpochEnd(int epoch, Logs logs) {
        bar.finish(lastBatch, logs);
    }
}
