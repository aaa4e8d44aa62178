package dev.ember.optim;

import dev.ember.tensor.Tensor;

import java.util.List;

/**
 * Adam with decoupled weight decay (PyTorch's {@code torch.optim.AdamW}): the parameter shrinks
 * before the Adam step instead of the decay entering the gradient,
 * <pre>
 * p = p * (1 - lr * weight_decay)
 * m = beta1 * m + (1 - beta1) * grad;   v = beta2 * v + (1 - beta2) * grad^2
 * p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 * with amsgrad as in {@link Adam}. The default weight decay is 0.01.
 *
 * <pre>{@code
 * var opt = new AdamW(model.parameters(), AdamW.options().lr(1e-3).weightDecay(0.05));
 * }</pre>
 */
public final class AdamW extends Adam {
    /** New options with PyTorch's AdamW defaults (as Adam's, but weight decay 0.01). */
    public static Options options() {
        return new Options(1e-2);
    }

    /** AdamW with the default options. */
    public AdamW(List<Tensor> params) {
        this(params, options());
    }

    /** AdamW with learning rate {@code lr}. */
    public AdamW(List<Tensor> params, double lr) {
        this(params, options().lr(lr));
    }

    /** AdamW over one group of parameters. */
    public AdamW(List<Tensor> params, Options options) {
        super("AdamW", single(params), options, true);
    }

    /** AdamW over several groups; options a group does not set come from {@code defaults}. */
    public AdamW(Options defaults, ParamGroup... groups) {
        super("AdamW", List.of(groups), defaults, true);
    }
}
