package dev.ember.train.callbacks;

import dev.ember.train.Logs;

/**
 * Which logged value a callback watches and whether smaller or larger is better, as Keras's
 * {@code monitor} + {@code mode}: {@code auto} picks "larger is better" for accuracy-like names
 * ({@code accuracy}, {@code f1}, {@code precision}, {@code recall}, {@code auc}) and "smaller" otherwise.
 */
public record Monitor(String name, boolean maximize, double minDelta) {
    public Monitor {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("monitor: a logged value name is required, e.g. val_loss");
        if (!(minDelta >= 0)) throw new IllegalArgumentException("monitor: minDelta must be >= 0, got " + minDelta);
    }

    /** Watches {@code name} with the direction guessed from it. */
    public static Monitor of(String name) {
        return new Monitor(name, looksMaximized(name), 0);
    }

    /** {@code "min"}, {@code "max"} or {@code "auto"}. */
    public static Monitor of(String name, String mode, double minDelta) {
        boolean max = switch (mode) {
            case "min" -> false;
            case "max" -> true;
            case "auto" -> looksMaximized(name);
            default -> throw new IllegalArgumentException("monitor: mode must be min, max or auto, got '" + mode + "'");
        };
        return new Monitor(name, max, minDelta);
    }

    static boolean looksMaximized(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        return n.contains("acc") || n.contains("f1") || n.contains("precision") || n.contains("recall") || n.contains("auc");
    }

    /** The watched value; a clear error naming what is logged when it is absent. */
    public double value(Logs logs, String who) {
        if (!logs.has(name)) {
            throw new IllegalArgumentException(who + ": monitored value '" + name + "' is not in the logs (have "
                    + logs.asMap().keySet() + "); validation values need validation data in fit");
        }
        return logs.get(name);
    }

    /** Whether {@code current} beats {@code best} by more than minDelta (NaN never improves). */
    public boolean improved(double current, double best) {
        if (Double.isNaN(current)) return false;
        if (Double.isNaN(best)) return true;
        return maximize ? current > best + minDelta : current < best - minDelta;
    }

    /** The starting "best" (NaN: anything improves on it). */
    public double initial() {
        return Double.NaN;
    }
}
