package dev.ember.optim;

import dev.ember.kernels.OptimizerUpdate;
import dev.ember.tensor.Tensor;

import java.util.List;

/**
 * RMSprop (PyTorch's {@code torch.optim.RMSprop}, same update rule):
 * <pre>
 * g = grad + weight_decay * p
 * s = alpha * s + (1 - alpha) * g^2
 * a = alpha * a + (1 - alpha) * g;   d = sqrt(s - a^2) + eps       (centered)
 *                                    d = sqrt(s) + eps             (otherwise)
 * b = momentum * b + g / d;  p = p - lr * b                        (momentum > 0)
 * p = p - lr * g / d                                               (otherwise)
 * </pre>
 * State per parameter: {@code step}, {@code square_avg}, {@code momentum_buffer} (momentum > 0) and
 * {@code grad_avg} (centered).
 *
 * <pre>{@code
 * var opt = new RMSprop(model.parameters(), RMSprop.options().lr(1e-3).momentum(0.9).centered(true));
 * }</pre>
 */
public final class RMSprop extends Optimizer {
    /** RMSprop's options. */
    public static final class Options extends OptimizerOptions<Options> {
        private Options() {
            lr(1e-2).alpha(0.99).eps(1e-8).weightDecay(0).momentum(0).centered(false).maximize(false);
        }

        /** Smoothing constant of the squared-gradient average (default 0.99). */
        public Options alpha(double alpha) {
            return set("alpha", alpha);
        }

        /** Term added to the denominator (default 1e-8). */
        public Options eps(double eps) {
            return set("eps", eps);
        }

        /** Momentum factor (default 0). */
        public Options momentum(double momentum) {
            return set("momentum", momentum);
        }

        /** Normalize by the estimated variance of the gradient instead of its second moment (default false). */
        public Options centered(boolean centered) {
            return set("centered", centered);
        }
    }

    /** New options with PyTorch's defaults (lr 0.01, alpha 0.99, eps 1e-8). */
    public static Options options() {
        return new Options();
    }

    /** RMSprop with the default options. */
    public RMSprop(List<Tensor> params) {
        this(params, options());
    }

    /** RMSprop with learning rate {@code lr}. */
    public RMSprop(List<Tensor> params, double lr) {
        this(params, options().lr(lr));
    }

    /** RMSprop over one group of parameters. */
    public RMSprop(List<Tensor> params, Options options) {
        super("RMSprop", single(params), options.toMap());
    }

    /** RMSprop over several groups; options a group does not set come from {@code defaults}. */
    public RMSprop(Options defaults, ParamGroup... groups) {
        super("RMSprop", List.of(groups), defaults.toMap());
    }

    @Override
    protected void checkOptions(ParamGroup g) {
        if (!(g.lr() >= 0)) throw new IllegalArgumentException("Invalid learning rate: " + g.lr());
        if (!(g.number("eps") >= 0)) throw new IllegalArgumentException("Invalid epsilon value: " + g.number("eps"));
        if (!(g.number("momentum") >= 0)) throw new IllegalArgumentException("Invalid momentum value: " + g.number("momentum"));
        if (!(g.number("weight_decay") >= 0)) {
            throw new IllegalArgumentException("Invalid weight_decay value: " + g.number("weight_decay"));
        }
        if (!(g.number("alpha") >= 0)) throw new IllegalArgumentException("Invalid alpha value: " + g.number("alpha"));
        g.flag("centered");
        g.flag("maximize");
    }

    @Override
    protected void update(ParamGroup group, Tensor param, Tensor grad, ParamState state) {
        double momentum = group.number("momentum");
        boolean centered = group.flag("centered");
        state.step(state.step() + 1);
        var u = new OptimizerUpdate.Rmsprop(group.lr(), group.number("alpha"), group.number("eps"), group.number("weight_decay"),
                momentum, centered, group.flag("maximize"));
        Tensor[] buffers = new Tensor[u.stateCount()];
        int k = 0;
        buffers[k++] = buffer(state, "square_avg", param, 0);
        if (momentum > 0) buffers[k++] = buffer(state, "momentum_buffer", param, 0);
        if (centered) buffers[k] = buffer(state, "grad_avg", param, 0);
        applyUpdate(u, param, grad, buffers);
    }
}
