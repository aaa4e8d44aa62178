package dev.ember.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Named scalar results handed to callbacks (Keras's {@code logs} dict): {@code loss},
 * {@code accuracy}, and for validation {@code val_loss}, {@code val_accuracy}, ... in insertion order.
 * Immutable; {@link #with} returns a copy.
 */
public final class Logs {
    private static final Logs EMPTY = new Logs(Map.of());
    private final Map<String, Double> values;

    private Logs(Map<String, Double> values) {
        this.values = values;
    }

    /** No values. */
    public static Logs empty() {
        return EMPTY;
    }

    /** Logs holding a copy of {@code values}. */
    public static Logs of(Map<String, Double> values) {
        return new Logs(Collections.unmodifiableMap(new LinkedHashMap<>(values)));
    }

    /** A copy with {@code name} set to {@code value}. */
    public Logs with(String name, double value) {
        Map<String, Double> m = new LinkedHashMap<>(values);
        m.put(name, value);
        return new Logs(Collections.unmodifiableMap(m));
    }

    /** A copy with all of {@code other}'s entries, each name prefixed. */
    public Logs withAll(String prefix, Logs other) {
        Map<String, Double> m = new LinkedHashMap<>(values);
        other.values.forEach((k, v) -> m.put(prefix + k, v));
        return new Logs(Collections.unmodifiableMap(m));
    }

    /** The value of {@code name}; throws if absent (listing what is there). */
    public double get(String name) {
        Double v = values.get(name);
        if (v == null) throw new IllegalArgumentException("logs: no value named '" + name + "' (have " + values.keySet() + ")");
        return v;
    }

    /** Whether {@code name} is present. */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** All values in insertion order (unmodifiable). */
    public Map<String, Double> asMap() {
        return values;
    }

    /** {@code loss: 0.3521 - accuracy: 0.8712}, as Keras prints. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        values.forEach((k, v) -> {
            if (!sb.isEmpty()) sb.append(" - ");
            sb.append(k).append(": ").append(format(v));
        });
        return sb.toString();
    }

    static String format(double v) {
        double a = Math.abs(v);
        if (v != 0 && (a < 1e-3 || a >= 1e5)) return String.format(Locale.ROOT, "%.4e", v);
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
