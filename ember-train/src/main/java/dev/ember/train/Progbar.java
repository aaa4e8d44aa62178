package dev.ember.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Keras-style progress display (the logic of Keras's {@code utils/progbar.py}): on a terminal it
 * redraws one line, {@code 117/469 [======>.......................] - ETA: 9s - loss: 0.4521 - accuracy: 0.8390},
 * at most every {@code interval} seconds, and finishes with
 * {@code 469/469 [==============================] - 12s 25ms/step - loss: 0.3500 - accuracy: 0.8700};
 * elsewhere (logs, pipes) it prints only that final line, so files stay readable.
 */
public final class Progbar {
    private static final int WIDTH = 30;
    private final int target;
    private final PrintStream out;
    private final boolean terminal;
    private final double interval;
    private final long start = System.nanoTime();
    private long lastDraw;
    private int lastLength;

    /**
     * @param target   number of steps (-1 if unknown)
     * @param out      where to draw
     * @param terminal whether {@code out} is an interactive terminal (redraw in place)
     */
    public Progbar(int target, PrintStream out, boolean terminal) {
        this(target, out, terminal, 0.05);
    }

    Progbar(int target, PrintStream out, boolean terminal, double interval) {
        this.target = target;
        this.out = out;
        this.terminal = terminal;
        this.interval = interval;
    }

    /** Whether the JVM's standard output is an interactive terminal. */
    public static boolean stdoutIsTerminal() {
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }

    /** Shows progress after {@code current} steps (1-based) with the running logs. */
    public void update(int current, Logs logs) {
        draw(current, logs, target > 0 && current >= target);
    }

    /**
     * Prints the final line after {@code current} steps even if fewer than the target were run (an
     * early stop); the bar shows how far it got.
     */
    public void finish(int current, Logs logs) {
        draw(current, logs, true);
    }

    private void draw(int current, Logs logs, boolean finished) {
        long now = System.nanoTime();
        if (!finished && (!terminal || (now - lastDraw) / 1e9 < interval)) return;
        lastDraw = now;
        double elapsed = (now - start) / 1e9;
        StringBuilder sb = new StringBuilder();
        sb.append(bar(current));
        double perStep = current > 0 ? elapsed / current : 0;
        if (finished) {
            sb.append(" - ").append(formatDuration(elapsed)).append(' ').append(formatPerStep(perStep));
        } else if (target > 0) {
            sb.append(" - ETA: ").append(formatDuration(perStep * (target - current)));
        } else {
            sb.append(" - ").append(formatDuration(elapsed));
        }
        String l = logs.toString();
        if (!l.isEmpty()) sb.append(" - ").append(l);
        String line = sb.toString();
        if (terminal) {
            int pad = Math.max(0, lastLength - line.length());
            out.print("\r" + line + " ".repeat(pad));
            lastLength = line.length();
            if (finished) out.println();
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** The {@code 117/469 [=====>....]} part. */
    String bar(int current) {
        if (target <= 0) return current + "/Unknown";
        int digits = Integer.toString(target).length();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%" + digits + "d/%d [", current, target));
        int done = (int) ((double) current / target * WIDTH);
        if (done > 0) {
            sb.append("=".repeat(done - 1));
            sb.append(current < target ? '>' : '=');
        }
        sb.append(".".repeat(WIDTH - done)).append(']');
        return sb.toString();
    }

    static String formatDuration(double seconds) {
        if (seconds >= 3600) {
            return String.format(Locale.ROOT, "%d:%02d:%02d", (long) seconds / 3600, ((long) seconds % 3600) / 60, (long) seconds % 60);
        }
        if (seconds >= 60) return String.format(Locale.ROOT, "%d:%02d", (long) seconds / 60, (long) seconds % 60);
        return Math.round(seconds) + "s";
    }

    static String formatPerStep(double seconds) {
        if (seconds >= 1) return String.format(Locale.ROOT, "%.0fs/step", seconds);
        if (seconds >= 1e-3) return String.format(Locale.ROOT, "%.0fms/step", seconds * 1e3);
        return String.format(Locale.ROOT, "%.0fus/step", seconds * 1e6);
    }
}
