package dev.ember.optim;

import dev.ember.kernels.OptimizerUpdate;
import dev.ember.tensor.Tensor;

import java.util.List;

/**
 * Adagrad (PyTorch's {@code torch.optim.Adagrad}, same update rule):
 * <pre>
 * g = grad + weight_decay * p
 * lr_t = lr / (1 + (t - 1) * lr_decay)
 * s = s + g^2                                    (s starts at initial_accumulator_value)
 * p = p - lr_t * g / (sqrt(s) + eps)
 * </pre>
 * State per parameter, created with the optimizer as in PyTorch: {@code step} and {@code sum}.
 *
 * <pre>{@code
 * var opt = new Adagrad(model.parameters(), Adagrad.options().lr(0.05).initialAccumulatorValue(0.1));
 * }</pre>
 */
public final class Adagrad extends Optimizer {
    /** Adagrad's options. */
    public static final class Options extends OptimizerOptions<Options> {
        private Options() {
            lr(1e-2).lrDecay(0).weightDecay(0).initialAccumulatorValue(0).eps(1e-10).maximize(false);
        }

        /** Learning-rate decay per step (default 0). */
        public Options lrDecay(double lrDecay) {
            return set("lr_decay", lrDecay);
        }

        /** Starting value of the squared-gradient sum (default 0). */
        public Options initialAccumulatorValue(double value) {
            return set("initial_accumulator_value", value);
        }

        /** Term added to the denominator (default 1e-10). */
        public Options eps(double eps) {
            return set("eps", eps);
        }
    }

    /** New options with PyTorch's defaults (lr 0.01, eps 1e-10). */
    public static Options options() {
        return new Options();
    }

    /** Adagrad with the default options. */
    public Adagrad(List<Tensor> params) {
        this(params, options());
    }

    /** Adagrad with learning rate {@code lr}. */
    public Adagrad(List<Tensor> params, double lr) {
        this(params, options().lr(lr));
    }

    /** Adagrad over one group of parameters. */
    public Adagrad(List<Tensor> params, Options options) {
        super("Adagrad", single(params), options.toMap());
        initState();
    }

    /** Adagrad over several groups; options a group does not set come from {@code defaults}. */
    public Adagrad(Options defaults, ParamGroup... groups) {
        super("Adagrad", List.of(groups), defaults.toMap());
        initState();
    }

    private void initState() {
        for (ParamGroup g : paramGroups()) {
            for (Tensor p : g.params()) buffer(stateOf(p), "sum", p, g.number("initial_accumulator_value"));
        }
    }

    @Override
    protected void checkOptions(ParamGroup g) {
        if (!(g.lr() >= 0)) throw new IllegalArgumentException("Invalid learning rate: " + g.lr());
        if (!(g.number("lr_decay") >= 0)) throw new IllegalArgumentException("Invalid lr_decay value: " + g.number("lr_decay"));
        if (!(g.number("weight_decay") >= 0)) {
            throw new IllegalArgumentException("Invalid weight_decay value: " + g.number("weight_decay"));
        }
        if (!(g.number("initial_accumulator_value") >= 0)) {
            throw new IllegalArgumentException("Invalid initial_accumulator_value value: " + g.number("initial_accumulator_value"));
        }
        if (!(g.number("eps") >= 0)) throw new IllegalArgumentException("Invalid epsilon value: " + g.number("eps"));
        g.flag("maximize");
    }

    @Override
    protected void update(ParamGroup group, Tensor param, Tensor grad, ParamState state) {
        Tensor sum = buffer(state, "sum", param, group.number("initial_accumulator_value"));
        long t = state.step() + 1;
        state.step(t);
        double clr = group.lr() / (1 + (t - 1) * group.number("lr_decay"));
        applyUpdate(new OptimizerUpdate.Adagrad(clr, group.number("eps"), group.number("weight_decay"), group.flag("maximize")),
                param, grad, sum);
    }
}
