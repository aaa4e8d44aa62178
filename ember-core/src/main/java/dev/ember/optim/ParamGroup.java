package dev.ember.optim;

import dev.ember.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A set of parameters optimized with the same options (PyTorch's {@code param_groups} entries):
 * learning rate, weight decay, momentum, betas, ... Options use PyTorch's names ({@code "lr"},
 * {@code "weight_decay"}, {@code "betas"}) so that a state dict reads like PyTorch's. Options a
 * group does not set are filled from the optimizer's defaults when the group is added; schedulers
 * change them between steps ({@link #lr(double)}, or {@link #put} for e.g. {@code "momentum"}).
 *
 * <pre>{@code
 * var opt = new SGD(SGD.options().lr(0.1).momentum(0.9),
 *         ParamGroup.of(backbone.parameters()).lr(0.01),   // fine-tune the backbone slowly
 *         ParamGroup.of(head.parameters()));                // the head uses the default lr 0.1
 * }</pre>
 *
 * <p>Option values are JSON-able: {@code Double}, {@code Boolean}, {@code String}, or a list of
 * doubles (betas). Numbers are stored as {@code Double} whatever their Java type.
 */
public final class ParamGroup {
    private final List<Tensor> params;
    private final Map<String, Object> options = new LinkedHashMap<>();

    private ParamGroup(List<Tensor> params) {
        this.params = List.copyOf(params);
    }

    /** A group of {@code params} with no options of its own yet (they come from the optimizer's defaults). */
    public static ParamGroup of(List<Tensor> params) {
        return new ParamGroup(params);
    }

    /** A group of the given parameters. */
    public static ParamGroup of(Tensor... params) {
        return new ParamGroup(List.of(params));
    }

    /** The parameters, in order (unmodifiable). */
    public List<Tensor> params() {
        return params;
    }

    /** The learning rate. */
    public double lr() {
        return number("lr");
    }

    /** Sets the learning rate; returns this group. */
    public ParamGroup lr(double lr) {
        return put("lr", lr);
    }

    /** True if the option is set. */
    public boolean has(String key) {
        return options.containsKey(key);
    }

    /** A numeric option. */
    public double number(String key) {
        Object v = require(key);
        if (!(v instanceof Double d)) throw new IllegalStateException("ParamGroup: option '" + key + "' is not a number: " + v);
        return d;
    }

    /** A boolean option. */
    public boolean flag(String key) {
        Object v = require(key);
        if (!(v instanceof Boolean b)) throw new IllegalStateException("ParamGroup: option '" + key + "' is not a boolean: " + v);
        return b;
    }

    /** A list-of-numbers option, such as {@code "betas"}. */
    public double[] numbers(String key) {
        Object v = require(key);
        if (!(v instanceof List<?> l)) throw new IllegalStateException("ParamGroup: option '" + key + "' is not a list: " + v);
        double[] r = new double[l.size()];
        for (int i = 0; i < r.length; i++) r[i] = (Double) l.get(i);
        return r;
    }

    /** The raw value of an option, or null if unset. */
    public Object get(String key) {
        return options.get(key);
    }

    private Object require(String key) {
        Object v = options.get(key);
        if (v == null) throw new IllegalStateException("ParamGroup: option '" + key + "' is not set; set options: " + options.keySet());
        return v;
    }

    /**
     * Sets an option; {@code value} is a number, boolean, string, or a list/array of numbers.
     * Returns this group.
     */
    public ParamGroup put(String key, Object value) {
        if (key == null || key.equals("params")) throw new IllegalArgumentException("ParamGroup: invalid option name '" + key + "'");
        options.put(key, normalize(key, value));
        return this;
    }

    /** Sets an option only if it is not set yet. */
    ParamGroup putIfAbsent(String key, Object value) {
        if (!options.containsKey(key)) put(key, value);
        return this;
    }

    /** Removes every option (used when loading a state dict). */
    void clearOptions() {
        options.clear();
    }

    /** The options (unmodifiable view, insertion order). */
    public Map<String, Object> options() {
        return Collections.unmodifiableMap(options);
    }

    static Object normalize(String key, Object value) {
        return switch (value) {
            case null -> throw new IllegalArgumentException("ParamGroup: option '" + key + "' cannot be null");
            case Double d -> d;
            case Number n -> n.doubleValue();
            case Boolean b -> b;
            case String s -> s;
            case double[] a -> {
                List<Double> l = new ArrayList<>(a.length);
                for (double x : a) l.add(x);
                yield List.copyOf(l);
            }
            case List<?> l -> {
                List<Double> out = new ArrayList<>(l.size());
                for (Object o : l) {
                    if (!(o instanceof Number n)) {
                        throw new IllegalArgumentException("ParamGroup: option '" + key + "' must be a list of numbers, got " + l);
                    }
                    out.add(n.doubleValue());
                }
                yield List.copyOf(out);
            }
            default -> throw new IllegalArgumentException("ParamGroup: option '" + key + "' has unsupported type "
                    + value.getClass().getSimpleName() + " (use a number, boolean, string or list of numbers)");
        };
    }

    @Override
    public String toString() {
        return "ParamGroup(" + params.size() + " params, " + options + ")";
    }
}
