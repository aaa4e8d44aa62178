package dev.ember.optim;

import dev.ember.kernels.OptimizerUpdate;
import dev.ember.tensor.Tensor;

import java.util.List;

/**
 * Stochastic gradient descent, optionally with momentum (PyTorch's {@code torch.optim.SGD}, same
 * update rule):
 * <pre>
 * g = grad + weight_decay * p
 * b = momentum * b + (1 - dampening) * g        (b = g on the first step)
 * g = nesterov ? g + momentum * b : b
 * p = p - lr * g
 * </pre>
 * {@code maximize} negates the gradient first. State per parameter: {@code momentum_buffer}
 * (only when momentum is non-zero).
 *
 * <pre>{@code
 * var opt = new SGD(model.parameters(), 0.05, 0.9);
 * var opt2 = new SGD(model.parameters(), SGD.options().lr(0.1).momentum(0.9).nesterov(true).weightDecay(5e-4));
 * }</pre>
 */
public final class SGD extends Optimizer {
    /** SGD's options. There is no default learning rate. */
    public static final class Options extends OptimizerOptions<Options> {
        private Options() {
            set("momentum", 0.0).set("dampening", 0.0).weightDecay(0).set("nesterov", false).maximize(false);
        }

        /** Momentum factor (default 0). */
        public Options momentum(double momentum) {
            return set("momentum", momentum);
        }

        /** Dampening for momentum (default 0). */
        public Options dampening(double dampening) {
            return set("dampening", dampening);
        }

        /** Nesterov momentum (default false; needs momentum > 0 and zero dampening). */
        public Options nesterov(boolean nesterov) {
            return set("nesterov", nesterov);
        }
    }

    /** New options with PyTorch's defaults (the learning rate must be set). */
    public static Options options() {
        return new Options();
    }

    /** Plain SGD with learning rate {@code lr}. */
    public SGD(List<Tensor> params, double lr) {
        this(params, options().lr(lr));
    }

    /** SGD with momentum. */
    public SGD(List<Tensor> params, double lr, double momentum) {
        this(params, options().lr(lr).momentum(momentum));
    }

    /** SGD over one group of parameters. */
    public SGD(List<Tensor> params, Options options) {
        super("SGD", single(params), options.toMap());
    }

    /** SGD over several groups; options a group does not set come from {@code defaults}. */
    public SGD(Options defaults, ParamGroup... groups) {
        super("SGD", List.of(groups), defaults.toMap());
    }

    @Override
    protected void checkOptions(ParamGroup g) {
        if (g.has("lr") && !(g.lr() >= 0)) throw new IllegalArgumentException("Invalid learning rate: " + g.lr());
        if (!(g.number("momentum") >= 0)) throw new IllegalArgumentException("Invalid momentum value: " + g.number("momentum"));
        if (!(g.number("weight_decay") >= 0)) {
            throw new IllegalArgumentException("Invalid weight_decay value: " + g.number("weight_decay"));
        }
        if (g.flag("nesterov") && (g.number("momentum") <= 0 || g.number("dampening") != 0)) {
            throw new IllegalArgumentException("Nesterov momentum requires a momentum and zero dampening");
        }
        g.flag("maximize");
    }

    @Override
    protected void update(ParamGroup group, Tensor param, Tensor grad, ParamState state) {
        double momentum = group.number("momentum");
        Tensor buf = state.buffer("momentum_buffer");
        boolean first = buf == null;
        var u = new OptimizerUpdate.Sgd(group.lr(), momentum, group.number("dampening"), group.number("weight_decay"),
                group.flag("nesterov"), group.flag("maximize"), first);
        state.step(state.step() + 1);
        if (momentum == 0) {
            applyUpdate(u, param, grad);
            return;
        }
        if (first) buf = buffer(state, "momentum_buffer", param, 0);
        applyUpdate(u, param, grad, buf);
    }

    @Override
    protected boolean countsSteps() {
        return false;
    }
}
