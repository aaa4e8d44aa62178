package dev.ember.optim.lr;

import dev.ember.optim.Optimizer;

import java.util.List;
import java.util.function.IntToDoubleFunction;

/**
 * Sets each group's learning rate to its initial one times {@code lambda(epoch)}: any schedule
 * written as a function. The functions are not part of the state dict.
 *
 * <pre>{@code
 * var sched = new LambdaLR(opt, epoch -> Math.min(1.0, (epoch + 1) / 10.0));   // 10-epoch warm-up
 * }</pre>
 */
public final class LambdaLR extends LRScheduler {
    private final List<IntToDoubleFunction> lambdas;

    /** The same factor function for every group. */
    public LambdaLR(Optimizer optimizer, IntToDoubleFunction lambda) {
        this(optimizer, java.util.Collections.nCopies(optimizer.paramGroups().size(), lambda), -1);
    }

    /** One factor function per group; resumes after epoch {@code lastEpoch} (-1 to start fresh). */
    public LambdaLR(Optimizer optimizer, List<IntToDoubleFunction> lambdas, int lastEpoch) {
        if (lambdas.size() != optimizer.paramGroups().size()) {
            throw new IllegalArgumentException("LambdaLR: Expected " + optimizer.paramGroups().size() + " lr_lambdas, but got "
                    + lambdas.size());
        }
        this.lambdas = List.copyOf(lambdas);
        super(optimizer, lastEpoch);
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = new double[baseLrs.length];
        for (int i = 0; i < lrs.length; i++) lrs[i] = baseLrs[i] * lambdas.get(i).applyAsDouble(lastEpoch);
        return lrs;
    }
}
