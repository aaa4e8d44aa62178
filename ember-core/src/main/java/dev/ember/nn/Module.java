package dev.ember.nn;

import dev.ember.autograd.Grad;
import dev.ember.tensor.Device;
import dev.ember.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Base class of layers and models (PyTorch's {@code nn.Module}): a module owns parameters (leaf
 * tensors that require grad), buffers (state that is saved but not trained, e.g. BatchNorm's running
 * statistics) and child modules, each registered under a name. Names compose with dots, exactly as
 * in PyTorch, so {@link #stateDict()} keys match a PyTorch model of the same architecture.
 *
 * <pre>{@code
 * class Mlp extends Module {
 *     final Linear fc1 = register("fc1", new Linear(784, 256));
 *     final Linear fc2 = register("fc2", new Linear(256, 10));
 *     public Tensor forward(Tensor x) { return fc2.call(fc1.call(x).relu()); }
 * }
 * }</pre>
 *
 * <p>Implement {@link #forward}; callers may use {@link #call}, which also runs forward hooks
 * (used by {@link #summary}). Modules start in training mode.
 */
public abstract class Module {
    private final Map<String, Tensor> params = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Set<String> nonPersistent = new HashSet<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private List<ForwardHook> forwardHooks;
    private boolean training = true;

    /** Called after a module's forward with its input and output. */
    @FunctionalInterface
    public interface ForwardHook {
        void afterForward(Module module, Tensor input, Tensor output);
    }

    /** Computes the module's output. */
    public abstract Tensor forward(Tensor input);

    /** Runs {@link #forward} and then the forward hooks. Containers call their children this way. */
    public final Tensor call(Tensor input) {
        Tensor out = forward(input);
        if (forwardHooks != null) {
            for (ForwardHook h : forwardHooks) h.afterForward(this, input, out);
        }
        return out;
    }

    /** Adds a forward hook; returns a handle whose {@code close()} removes it. */
    public Grad.Scope registerForwardHook(ForwardHook hook) {
        if (forwardHooks == null) forwardHooks = new ArrayList<>(1);
        forwardHooks.add(hook);
        return () -> forwardHooks.remove(hook);
    }

    // ------------------------------------------------------------------ registration

    private void checkName(String name, String what) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": " + what + " name must be non-empty and contain no '.', got '"
                    + name + "'");
        }
        if (params.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": the name '" + name + "' is already registered");
        }
    }

    /**
     * Registers a parameter: a floating leaf tensor that will require grad. Returns it, so fields can
     * be initialised inline: {@code weight = param("weight", Tensor.zeros(out, in))}.
     */
    protected final Tensor param(String name, Tensor value) {
        checkName(name, "parameter");
        if (!value.isLeaf()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": parameter '" + name
                    + "' must be a leaf tensor (it was produced by '" + value.gradFn().name() + "'); use detach()");
        }
        value.requiresGrad(true);
        params.put(name, value);
        return value;
    }

    /** Registers a buffer saved in the state dict (e.g. running statistics). */
    protected final Tensor buffer(String name, Tensor value) {
        return buffer(name, value, true);
    }

    /** Registers a buffer; non-persistent buffers are left out of the state dict. */
    protected final Tensor buffer(String name, Tensor value, boolean persistent) {
        checkName(name, "buffer");
        buffers.put(name, value);
        if (!persistent) nonPersistent.add(name);
        return value;
    }

    /** Registers a child module and returns it. */
    protected final <M extends Module> M register(String name, M child) {
        checkName(name, "child module");
        if (child == this) throw new IllegalArgumentException(getClass().getSimpleName() + ": a module cannot contain itself");
        children.put(name, child);
        return child;
    }

    /** Replaces a registered child (used by containers and model surgery). */
    protected final void replaceChild(String name, Module child) {
        if (!children.containsKey(name)) throw new IllegalArgumentException(getClass().getSimpleName() + ": no child named '" + name + "'");
        children.put(name, child);
    }

    // ------------------------------------------------------------------ traversal

    /** All parameters of this module and its descendants, each once, in registration order. */
    public List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Parameters by dotted name ({@code "0.weight"}, {@code "encoder.fc1.bias"}); shared tensors appear once. */
    public Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        collect(this, "", out, seen, true);
        return out;
    }

    /** Buffers by dotted name. */
    public Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect(this, "", out, Collections.newSetFromMap(new IdentityHashMap<>()), false);
        return out;
    }

    private static void collect(Module m, String prefix, Map<String, Tensor> out, Set<Tensor> seen, boolean parameters) {
        for (var e : (parameters ? m.params : m.buffers).entrySet()) {
            if (e.getValue() != null && seen.add(e.getValue())) out.put(prefix + e.getKey(), e.getValue());
        }
        for (var c : m.children.entrySet()) collect(c.getValue(), prefix + c.getKey() + ".", out, seen, parameters);
    }

    /** Direct children by name. */
    public Map<String, Module> namedChildren() {
        return Collections.unmodifiableMap(children);
    }

    /** Direct children. */
    public List<Module> children() {
        return new ArrayList<>(children.values());
    }

    /** This module and all descendants by dotted name (this one under ""). */
    public Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        walk(this, "", out);
        return out;
    }

    private static void walk(Module m, String name, Map<String, Module> out) {
        out.put(name, m);
        for (var c : m.children.entrySet()) walk(c.getValue(), name.isEmpty() ? c.getKey() : name + "." + c.getKey(), out);
    }

    /** Applies {@code fn} to every descendant and then this module (e.g. custom initialisation). */
    public Module apply(Consumer<Module> fn) {
        for (Module c : children.values()) c.apply(fn);
        fn.accept(this);
        return this;
    }

    // ------------------------------------------------------------------ modes

    /** Sets training mode (dropout active, batch norm uses batch statistics) on this module and its descendants. */
    public Module train(boolean mode) {
        training = mode;
        for (Module c : children.values()) c.train(mode);
        return this;
    }

    /** Training mode. */
    public Module train() {
        return train(true);
    }

    /** Evaluation mode. */
    public Module eval() {
        return train(false);
    }

    /** Whether the module is in training mode. */
    public boolean isTraining() {
        return training;
    }

    /** Clears every parameter's gradient. */
    public void zeroGrad() {
        for (Tensor p : parameters()) p.zeroGrad();
    }

    /** Moves parameters and buffers to {@code device} (the CPU is the only device today). */
    public Module to(Device device) {
        for (Tensor p : parameters()) {
            if (!p.device().equals(device)) p.to(device);
        }
        return this;
    }

    // ------------------------------------------------------------------ state dict

    /**
     * Parameters and persistent buffers by dotted name, as PyTorch's {@code state_dict()}: the
     * tensors are detached views sharing storage with the module.
     */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        stateDict(this, "", out);
        return out;
    }

    private static void stateDict(Module m, String prefix, Map<String, Tensor> out) {
        for (var e : m.params.entrySet()) if (e.getValue() != null) out.put(prefix + e.getKey(), e.getValue().detach());
        for (var e : m.buffers.entrySet()) {
            if (e.getValue() != null && !m.nonPersistent.contains(e.getKey())) out.put(prefix + e.getKey(), e.getValue().detach());
        }
        for (var c : m.children.entrySet()) stateDict(c.getValue(), prefix + c.getKey() + ".", out);
    }

    /**
     * Copies values from {@code state} into this module's parameters and buffers (in place, so
     * optimizers keep their references). With {@code strict}, missing and unexpected keys are errors;
     * shape mismatches always are. All problems are reported together in one exception.
     */
    public void loadStateDict(Map<String, Tensor> state, boolean strict) {
        Map<String, Tensor> mine = stateDict();
        List<String> missing = new ArrayList<>(), mismatched = new ArrayList<>();
        Set<String> unexpected = new TreeSet<>(state.keySet());
        unexpected.removeAll(mine.keySet());
        for (var e : mine.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src == null) {
                missing.add(e.getKey());
            } else if (!src.shape().equals(e.getValue().shape())) {
                mismatched.add(e.getKey() + ": checkpoint " + src.shape() + " vs model " + e.getValue().shape());
            }
        }
        if (!mismatched.isEmpty() || (strict && (!missing.isEmpty() || !unexpected.isEmpty()))) {
            StringBuilder sb = new StringBuilder("loadStateDict: error(s) loading state into " + getClass().getSimpleName() + ":");
            if (!missing.isEmpty() && strict) sb.append("\n  missing keys: ").append(missing);
            if (!unexpected.isEmpty() && strict) sb.append("\n  unexpected keys: ").append(unexpected);
            if (!mismatched.isEmpty()) sb.append("\n  size mismatch: ").append(String.join("; ", mismatched));
            throw new IllegalArgumentException(sb.toString());
        }
        try (var g = Grad.off()) {
            for (var e : mine.entrySet()) {
                Tensor src = state.get(e.getKey());
                if (src != null) e.getValue().copyFrom(src);
            }
        }
    }

    // ------------------------------------------------------------------ printing

    /** The part inside the parentheses when printed, e.g. {@code in_features=784, out_features=10, bias=true}. */
    protected String extraRepr() {
        return "";
    }

    /** PyTorch-style nested printing of the module tree. */
    @Override
    public String toString() {
        String name = getClass().getSimpleName();
        if (children.isEmpty()) return name + "(" + extraRepr() + ")";
        StringBuilder sb = new StringBuilder(name).append("(");
        String extra = extraRepr();
        if (!extra.isEmpty()) sb.append("\n  ").append(extra);
        for (var c : children.entrySet()) {
            sb.append("\n  (").append(c.getKey()).append("): ").append(c.getValue().toString().replace("\n", "\n  "));
        }
        return sb.append("\n)").toString();
    }

    /**
     * A Keras-style table (layer, output shape, parameter count, totals), computed by running a
     * forward pass on zeros of {@code inputShape} (include the batch dimension).
     */
    public String summary(int... inputShape) {
        return Summary.of(this, inputShape);
    }
}
