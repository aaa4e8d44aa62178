package dev.ember.data.download;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Reports download progress. {@link #console()} draws a redrawn bar on a terminal and, when output is
 * redirected (a log file, CI), prints a line at the start, at every quarter and at the end instead of
 * hundreds of bar updates.
 */
public interface ProgressReporter {
    /** A transfer of {@code totalBytes} (-1 if unknown) starts. */
    void start(String what, long totalBytes);

    /** {@code doneBytes} have arrived so far. */
    void update(long doneBytes);

    /** The transfer ended (successfully or not). */
    void finish();

    /** Prints nothing. */
    static ProgressReporter silent() {
        return new ProgressReporter() {
            @Override
            public void start(String what, long totalBytes) {
            }

            @Override
            public void update(long doneBytes) {
            }

            @Override
            public void finish() {
            }
        };
    }

    /** Progress on standard output: a bar when it is a terminal, a few plain lines otherwise. */
    static ProgressReporter console() {
        java.io.Console c = System.console();
        return new Console(System.out, c != null && c.isTerminal());
    }

    /** The console reporter writing to {@code out}; {@code interactive} selects the redrawn bar. */
    final class Console implements ProgressReporter {
        private final PrintStream out;
        private final boolean interactive;
        private String what;
        private long total;
        private long done;
        private long startNanos;
        private long lastDrawNanos;
        private int quartersPrinted;

        public Console(PrintStream out, boolean interactive) {
            this.out = out;
            this.interactive = interactive;
        }

        @Override
        public synchronized void start(String what, long totalBytes) {
            this.what = what;
            this.total = totalBytes;
            this.done = 0;
            this.quartersPrinted = 0;
            this.startNanos = System.nanoTime();
            this.lastDrawNanos = 0;
            if (!interactive) out.println("Downloading " + what + (totalBytes > 0 ? " (" + mb(totalBytes) + ")" : "") + " ...");
        }

        @Override
        public synchronized void update(long doneBytes) {
            this.done = doneBytes;
            long now = System.nanoTime();
            if (interactive) {
                if (now - lastDrawNanos > 100_000_000L) {
                    lastDrawNanos = now;
                    out.print("\r" + bar());
                    out.flush();
                }
            } else if (total > 0) {
                int quarters = (int) (4 * doneBytes / total);
                if (quarters > quartersPrinted && quarters < 4) {
                    quartersPrinted = quarters;
                    out.println("  " + what + ": " + (25 * quarters) + "% (" + mb(doneBytes) + ")");
                }
            }
        }

        @Override
        public synchronized void finish() {
            double secs = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
            String summary = what + ": " + mb(done) + " in " + String.format(Locale.ROOT, "%.1f s (%.1f MB/s)", secs, done / 1e6 / secs);
            if (interactive) out.println("\r" + bar() + "\n" + summary);
            else out.println("  " + summary);
            out.flush();
        }

        private String bar() {
            int width = 30;
            if (total <= 0) return what + " " + mb(done);
            int filled = (int) (width * Math.min(1.0, (double) done / total));
            return what + " [" + "=".repeat(filled) + " ".repeat(width - filled) + "] "
                    + String.format(Locale.ROOT, "%3d%%", (int) (100 * done / total)) + " " + mb(done) + "/" + mb(total);
        }

        private static String mb(long bytes) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
        }
    }
}
