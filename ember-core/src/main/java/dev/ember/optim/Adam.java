package dev.ember.optim;

import dev.ember.kernels.OptimizerUpdate;
import dev.ember.tensor.Tensor;

import java.util.List;

/**
 * Adam (PyTorch's {@code torch.optim.Adam}, same update rule and bias corrections):
 * <pre>
 * g = grad + weight_decay * p                    (an L2 penalty; see {@link AdamW} for decoupled decay)
 * m = beta1 * m + (1 - beta1) * g
 * v = beta2 * v + (1 - beta2) * g * g
 * v_max = max(v_max, v)                          (amsgrad: v_max replaces v below)
 * p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 * where {@code t} counts this parameter's updates. Note where {@code eps} goes: it is added to the
 * bias-corrected {@code sqrt(v)}. State per parameter: {@code step}, {@code exp_avg},
 * {@code exp_avg_sq}, and {@code max_exp_avg_sq} with amsgrad.
 *
 * <pre>{@code
 * var opt = new Adam(model.parameters(), 1e-3);
 * var opt2 = new Adam(model.parameters(), Adam.options().lr(3e-4).betas(0.9, 0.98).amsgrad(true));
 * }</pre>
 */
public class Adam extends Optimizer {
    /** Options of Adam and AdamW. */
    public static final class Options extends OptimizerOptions<Options> {
        Options(double weightDecay) {
            lr(1e-3).betas(0.9, 0.999).eps(1e-8).weightDecay(weightDecay).amsgrad(false).maximize(false);
        }

        /** Decay rates of the first and second moment averages (default 0.9, 0.999). */
        public Options betas(double beta1, double beta2) {
            return set("betas", new double[] {beta1, beta2});
        }

        /** Term added to the denominator (default 1e-8). */
        public Options eps(double eps) {
            return set("eps", eps);
        }

        /** Use the AMSGrad variant (default false). */
        public Options amsgrad(boolean amsgrad) {
            return set("amsgrad", amsgrad);
        }
    }

    private final boolean decoupled;

    /** New options with PyTorch's Adam defaults (lr 1e-3, betas (0.9, 0.999), eps 1e-8, no weight decay). */
    public static Options options() {
        return new Options(0);
    }

    /** Adam with the default options. */
    public Adam(List<Tensor> params) {
        this(params, options());
    }

    /** Adam with learning rate {@code lr}. */
    public Adam(List<Tensor> params, double lr) {
        this(params, options().lr(lr));
    }

    /** Adam over one group of parameters. */
    public Adam(List<Tensor> params, Options options) {
        this("Adam", single(params), options, false);
    }

    /** Adam over several groups; options a group does not set come from {@code defaults}. */
    public Adam(Options defaults, ParamGroup... groups) {
        this("Adam", List.of(groups), defaults, false);
    }

    Adam(String name, List<ParamGroup> groups, Options defaults, boolean decoupled) {
        super(name, groups, defaults.toMap());
        this.decoupled = decoupled;
    }

    @Override
    protected void checkOptions(ParamGroup g) {
        if (!(g.lr() >= 0)) throw new IllegalArgumentException("Invalid learning rate: " + g.lr());
        if (!(g.number("eps") >= 0)) throw new IllegalArgumentException("Invalid epsilon value: " + g.number("eps"));
        double[] betas = g.numbers("betas");
        if (betas.length != 2) throw new IllegalArgumentException("betas must hold two values, got " + betas.length);
        for (int i = 0; i < 2; i++) {
            if (!(betas[i] >= 0 && betas[i] < 1)) {
                throw new IllegalArgumentException("Invalid beta parameter at index " + i + ": " + betas[i]);
            }
        }
        if (!(g.number("weight_decay") >= 0)) {
            throw new IllegalArgumentException("Invalid weight_decay value: " + g.number("weight_decay"));
        }
        g.flag("amsgrad");
        g.flag("maximize");
    }

    @Override
    protected void update(ParamGroup group, Tensor param, Tensor grad, ParamState state) {
        double[] betas = group.numbers("betas");
        double lr = group.lr();
        boolean amsgrad = group.flag("amsgrad");
        Tensor m = buffer(state, "exp_avg", param, 0);
        Tensor v = buffer(state, "exp_avg_sq", param, 0);
        long t = state.step() + 1;
        state.step(t);
        double biasCorrection1 = 1 - Math.pow(betas[0], t);
        double biasCorrection2 = 1 - Math.pow(betas[1], t);
        var u = new OptimizerUpdate.Adam(lr, betas[0], betas[1], group.number("eps"), group.number("weight_decay"), decoupled,
                amsgrad, group.flag("maximize"), lr / biasCorrection1, Math.sqrt(biasCorrection2));
        if (amsgrad) applyUpdate(u, param, grad, m, v, buffer(state, "max_exp_avg_sq", param, 0));
        else applyUpdate(u, param, grad, m, v);
    }
}
