package dev.ember.nn;

import dev.ember.tensor.Tensor;

import java.util.Objects;

/**
 * The options of {@link Losses#crossEntropy(Tensor, Tensor, CrossEntropyOptions)}, PyTorch's keyword
 * arguments of {@code F.cross_entropy}. Immutable; build with {@link #builder()} (unset options keep
 * PyTorch's defaults) or start from {@link #DEFAULTS}.
 *
 * <pre>{@code
 * var opts = CrossEntropyOptions.builder()
 *         .weight(classWeights)          // [C]
 *         .ignoreIndex(0)                // targets equal to 0 add nothing
 *         .labelSmoothing(0.1)
 *         .reduction(Reduction.SUM)
 *         .build();
 * Tensor loss = Losses.crossEntropy(logits, target, opts);
 * }</pre>
 *
 * @param weight         a rescaling weight per class, a floating [C] tensor, or null for none
 * @param ignoreIndex    a class-index target equal to this contributes neither loss nor gradient, and
 *                       is not counted in the mean (default -100; unused for probability targets)
 * @param labelSmoothing in [0, 1]: the target becomes {@code (1 - s) * target + s / C} (default 0)
 * @param reduction      how per-sample losses are combined (default {@link Reduction#MEAN})
 */
public record CrossEntropyOptions(Tensor weight, long ignoreIndex, double labelSmoothing, Reduction reduction) {
    /** PyTorch's default {@code ignore_index}. */
    public static final long DEFAULT_IGNORE_INDEX = -100;

    /** No weights, ignoreIndex -100, no label smoothing, mean. */
    public static final CrossEntropyOptions DEFAULTS = new CrossEntropyOptions(null, DEFAULT_IGNORE_INDEX, 0, Reduction.MEAN);

    /** Validates the options that need no input to check (the weight's size is checked against C at call time). */
    public CrossEntropyOptions {
        Objects.requireNonNull(reduction, "crossEntropy: reduction must not be null (use Reduction.NONE for no reduction)");
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("crossEntropy: labelSmoothing must be between 0 and 1, got " + labelSmoothing);
        }
        if (weight != null && (weight.rank() != 1 || !weight.dtype().isFloating())) {
            throw new IllegalArgumentException("crossEntropy: weight must be a floating 1-D tensor [C], got "
                    + weight.dtype().pyName() + " " + weight.shape());
        }
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder(DEFAULTS);
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builds {@link CrossEntropyOptions}; every setter returns this builder. */
    public static final class Builder {
        private Tensor weight;
        private long ignoreIndex;
        private double labelSmoothing;
        private Reduction reduction;

        private Builder(CrossEntropyOptions from) {
            weight = from.weight;
            ignoreIndex = from.ignoreIndex;
            labelSmoothing = from.labelSmoothing;
            reduction = from.reduction;
        }

        /** Per-class weights [C], or null for none. */
        public Builder weight(Tensor weight) {
            this.weight = weight;
            return this;
        }

        /** The class index whose targets are skipped. */
        public Builder ignoreIndex(long ignoreIndex) {
            this.ignoreIndex = ignoreIndex;
            return this;
        }

        /** Label smoothing in [0, 1]. */
        public Builder labelSmoothing(double labelSmoothing) {
            this.labelSmoothing = labelSmoothing;
            return this;
        }

        /** The reduction. */
        public Builder reduction(Reduction reduction) {
            this.reduction = reduction;
            return this;
        }

        /** The options; throws IllegalArgumentException for a label smoothing outside [0, 1] or a weight that is not 1-D floating. */
        public CrossEntropyOptions build() {
            return new CrossEntropyOptions(weight, ignoreIndex, labelSmoothing, reduction);
        }
    }
}
