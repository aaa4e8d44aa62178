package dev.ember.optim;

import dev.ember.autograd.Dispatch;
import dev.ember.autograd.Grad;
import dev.ember.kernels.OptimizerUpdate;
import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Base class of optimizers (PyTorch's {@code torch.optim.Optimizer}): parameter groups, each with
 * its own options, per-parameter state, and {@link #step()}, which updates every parameter that has
 * a gradient (parameters whose {@code grad()} is null are skipped, as in PyTorch).
 *
 * <pre>{@code
 * var opt = new Adam(model.parameters(), 1e-3);
 * for (var batch : loader) {
 *     opt.zeroGrad();
 *     F.crossEntropy(model.forward(batch.x()), batch.y()).backward();
 *     opt.step();
 * }
 * }</pre>
 *
 * <p>A subclass supplies {@link #update}, the rule for one parameter, and {@link #checkOptions},
 * the validation of a group's options. Updates run with gradient recording off; the built-in
 * optimizers apply each parameter's whole update in one fused backend kernel
 * ({@link #applyUpdate}), so a step reads and writes every parameter and state buffer once.
 */
public abstract class Optimizer {
    private final String name;
    private final Map<String, Object> defaults;
    private final List<ParamGroup> groups = new ArrayList<>();
    private final Map<Tensor, ParamState> state = new IdentityHashMap<>();

    /**
     * @param name     the optimizer's name, used to prefix error messages ("Adam")
     * @param groups   the parameter groups (at least one)
     * @param defaults options used where a group sets none, validated with {@link #checkOptions}
     */
    protected Optimizer(String name, List<ParamGroup> groups, Map<String, Object> defaults) {
        this.name = name;
        this.defaults = Collections.unmodifiableMap(new LinkedHashMap<>(defaults));
        ParamGroup check = ParamGroup.of(List.of());
        defaults.forEach(check::put);
        validate(check, "");
        if (groups.isEmpty()) throw new IllegalArgumentException(name + ": optimizer got an empty parameter list");
        for (ParamGroup g : groups) addParamGroup(g);
    }

    /** A single group holding {@code params}. */
    protected static List<ParamGroup> single(List<Tensor> params) {
        if (params == null) throw new IllegalArgumentException("optimizer: params must not be null");
        return params.isEmpty() ? List.of() : List.of(ParamGroup.of(params));
    }

    /** The optimizer's name ("SGD", "Adam", ...). */
    public String name() {
        return name;
    }

    /** The default options (unmodifiable). */
    public Map<String, Object> defaults() {
        return defaults;
    }

    /** The parameter groups (unmodifiable list; the groups' options can be changed). */
    public List<ParamGroup> paramGroups() {
        return Collections.unmodifiableList(groups);
    }

    /** The state of {@code param}, or null if it has none yet. */
    public ParamState state(Tensor param) {
        return state.get(param);
    }

    /** The state of {@code param}, created empty if it has none (for optimizers that initialise state eagerly). */
    protected ParamState stateOf(Tensor param) {
        return state.computeIfAbsent(param, k -> new ParamState());
    }

    /**
     * Adds a group (e.g. layers unfrozen during fine-tuning). Options it does not set are taken from
     * the defaults. Its parameters must be floating leaf tensors not already in another group.
     */
    public void addParamGroup(ParamGroup group) {
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (ParamGroup g : groups) seen.addAll(g.params());
        Set<Tensor> mine = Collections.newSetFromMap(new IdentityHashMap<>());
        int index = groups.size();
        for (int i = 0; i < group.params().size(); i++) {
            Tensor p = group.params().get(i);
            if (p == null) throw new IllegalArgumentException(name + ": parameter " + i + " of group " + index + " is null");
            if (!p.isLeaf()) {
                throw new IllegalArgumentException(name + ": can't optimize a non-leaf Tensor (parameter " + i + " of group " + index
                        + " was produced by '" + p.gradFn().name() + "'). Hint: pass a leaf, e.g. x.detach().requiresGrad(true)");
            }
            if (p.dtype() != DType.FLOAT32 && p.dtype() != DType.FLOAT64) {
                throw new IllegalArgumentException(name + ": can only optimize float32 or float64 tensors, but parameter " + i
                        + " of group " + index + " is " + p.dtype().pyName());
            }
            if (!mine.add(p)) {
                throw new IllegalArgumentException(name + ": parameter group " + index + " contains parameter " + i + " twice");
            }
            if (seen.contains(p)) throw new IllegalArgumentException(name + ": some parameters appear in more than one parameter group");
        }
        defaults.forEach(group::putIfAbsent);
        if (!group.has("lr")) {
            throw new IllegalArgumentException(name + ": parameter group didn't specify a value of required optimization parameter lr");
        }
        validate(group, " (param group " + index + ")");
        groups.add(group);
    }

    private void validate(ParamGroup group, String where) {
        try {
            checkOptions(group);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage() + where, e);
        }
    }

    /**
     * Checks a group's options (or the defaults, as a group without parameters), throwing
     * {@link IllegalArgumentException} with PyTorch's message, e.g. {@code "Invalid learning rate: -0.1"};
     * the optimizer's name is prefixed by the caller. Options may be missing from the defaults.
     */
    protected abstract void checkOptions(ParamGroup group);

    /**
     * Updates one parameter that has a gradient. Runs with gradient recording off.
     *
     * @param group the parameter's group (its current options)
     * @param param the parameter, updated in place
     * @param grad  its gradient (same shape and dtype)
     * @param state its state, created empty on its first update
     */
    protected abstract void update(ParamGroup group, Tensor param, Tensor grad, ParamState state);

    /** Whether the state dict records each parameter's step count (SGD does not keep one). */
    protected boolean countsSteps() {
        return true;
    }

    // ------------------------------------------------------------------ stepping

    /** Performs one update of every parameter that has a gradient. */
    public void step() {
        try (var off = Grad.off()) {
            for (ParamGroup group : groups) {
                for (Tensor p : group.params()) {
                    Tensor g = p.grad();
                    if (g == null) continue;
                    update(group, p, g, state.computeIfAbsent(p, k -> new ParamState()));
                }
            }
        }
    }

    /**
     * Re-evaluates the model with {@code closure} (which should zero the gradients, compute the loss
     * and call backward) with gradients enabled, then steps. Returns the closure's loss.
     */
    public Tensor step(Supplier<Tensor> closure) {
        Tensor loss;
        try (var on = Grad.on()) {
            loss = closure.get();
        }
        step();
        return loss;
    }

    /** Clears the gradients of all parameters (sets them to null, so the next step skips parameters that get none). */
    public void zeroGrad() {
        for (ParamGroup g : groups) {
            for (Tensor p : g.params()) p.zeroGrad();
        }
    }

    /**
     * Runs a fused update on {@code param} and {@code stateBuffers} through the dispatcher. Takes care
     * of layouts: the kernel wants contiguous tensors, so a strided gradient is copied and a strided
     * parameter is updated through a contiguous copy.
     */
    protected static void applyUpdate(OptimizerUpdate update, Tensor param, Tensor grad, Tensor... stateBuffers) {
        if (grad.dtype() != param.dtype()) grad = grad.to(param.dtype());
        if (!grad.isContiguous()) grad = grad.contiguous();
        Tensor target = param.isContiguous() ? param : param.contiguous();
        Tensor[] others = new Tensor[stateBuffers.length + 1];
        others[0] = grad;
        System.arraycopy(stateBuffers, 0, others, 1, stateBuffers.length);
        Dispatch.applyInPlace(new FusedStep(update), target, others);
        if (target != param) param.copyFrom(target);
    }

    /** The state buffer {@code name} of a parameter, created filled with {@code initial} if missing. */
    protected static Tensor buffer(ParamState state, String name, Tensor param, double initial) {
        Tensor b = state.buffer(name);
        if (b == null) {
            b = Tensor.full(param.shape(), initial, param.dtype());
            state.put(name, b);
        }
        return b;
    }

    // ------------------------------------------------------------------ state dict

    /**
     * The optimizer's state in PyTorch's layout (see {@link OptimizerState}). Tensors are copies, so
     * the returned state is a snapshot that later steps do not change.
     */
    public OptimizerState stateDict() {
        Map<Tensor, Integer> index = new IdentityHashMap<>();
        List<Map<String, Object>> packed = new ArrayList<>();
        for (ParamGroup g : groups) {
            Map<String, Object> m = new LinkedHashMap<>(g.options());
            List<Long> ids = new ArrayList<>();
            for (Tensor p : g.params()) {
                index.putIfAbsent(p, index.size());
                ids.add((long) index.get(p));
            }
            m.put("params", ids);
            packed.add(m);
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (ParamGroup g : groups) {
            for (Tensor p : g.params()) {
                ParamState st = state.get(p);
                if (st == null || st.isEmpty()) continue;
                String prefix = "state." + index.get(p) + ".";
                if (countsSteps()) tensors.put(prefix + "step", Tensor.scalar(st.step(), DType.FLOAT64));
                st.buffers().forEach((k, v) -> tensors.put(prefix + k, v.detach().copy()));
            }
        }
        return new OptimizerState(tensors, packed);
    }

    /**
     * Restores a state dict from {@link #stateDict()} (of an optimizer of the same kind over
     * parameters of the same shapes, grouped the same way). Group options, including the learning
     * rate, are replaced by the saved ones; state tensors are copied and cast to each parameter's dtype.
     */
    public void loadStateDict(OptimizerState saved) {
        List<Map<String, Object>> savedGroups = saved.paramGroups();
        if (savedGroups.size() != groups.size()) {
            throw new IllegalArgumentException(name + ".loadStateDict: loaded state dict has a different number of parameter groups ("
                    + savedGroups.size() + " saved, " + groups.size() + " in this optimizer)");
        }
        Map<Integer, Tensor> byIndex = new LinkedHashMap<>();
        for (int gi = 0; gi < groups.size(); gi++) {
            List<Tensor> params = groups.get(gi).params();
            Object ids = savedGroups.get(gi).get("params");
            if (!(ids instanceof List<?> idList) || idList.size() != params.size()) {
                throw new IllegalArgumentException(name + ".loadStateDict: loaded state dict contains a parameter group that doesn't "
                        + "match the size of optimizer's group (group " + gi + ": " + (ids instanceof List<?> l ? l.size() : ids)
                        + " saved, " + params.size() + " here)");
            }
            for (int i = 0; i < params.size(); i++) byIndex.put(((Number) idList.get(i)).intValue(), params.get(i));
        }
        Map<Tensor, ParamState> loaded = new IdentityHashMap<>();
        for (Map.Entry<String, Tensor> e : saved.tensors().entrySet()) {
            String key = e.getKey();
            String[] parts = key.split("\\.", 3);
            if (parts.length != 3 || !parts[0].equals("state")) {
                throw new IllegalArgumentException(name + ".loadStateDict: unexpected key '" + key + "' (expected state.<index>.<name>)");
            }
            int idx;
            try {
                idx = Integer.parseInt(parts[1]);
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException(name + ".loadStateDict: bad parameter index in key '" + key + "'");
            }
            Tensor p = byIndex.get(idx);
            if (p == null) throw new IllegalArgumentException(name + ".loadStateDict: key '" + key + "' names no parameter of this optimizer");
            ParamState st = loaded.computeIfAbsent(p, k -> new ParamState());
            Tensor v = e.getValue();
            if (parts[2].equals("step")) {
                st.step(Math.round(v.item()));
                continue;
            }
            if (!v.shape().equals(p.shape())) {
                throw new IllegalArgumentException(name + ".loadStateDict: " + key + " has shape " + v.shape() + " but parameter " + idx
                        + " has shape " + p.shape());
            }
            Tensor copy = Tensor.empty(p.shape(), p.dtype(), p.device());
            try (var off = Grad.off()) {
                copy.copyFrom(v.detach());
            }
            st.put(parts[2], copy);
        }
        List<ParamGroup> options = new ArrayList<>();
        for (int gi = 0; gi < groups.size(); gi++) {
            ParamGroup g = ParamGroup.of(List.of());
            savedGroups.get(gi).forEach((k, v) -> {
                if (!k.equals("params")) g.put(k, v);
            });
            validate(g, " (loaded param group " + gi + ")");
            options.add(g);
        }
        for (int gi = 0; gi < groups.size(); gi++) {
            ParamGroup g = groups.get(gi);
            g.clearOptions();
            options.get(gi).options().forEach(g::put);
        }
        state.clear();
        state.putAll(loaded);
    }

    // ------------------------------------------------------------------ printing

    /** PyTorch-style summary: each group's options, sorted by name. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name).append(" (");
        for (int i = 0; i < groups.size(); i++) {
            ParamGroup g = groups.get(i);
            sb.append("\nParameter Group ").append(i).append('\n');
            for (String k : new TreeSet<>(g.options().keySet())) sb.append("    ").append(k).append(": ").append(g.get(k)).append('\n');
        }
        return sb.append(')').toString();
    }
}
