package dev.ember.kernels;

/**
 * One fused optimizer update of a parameter tensor: what {@link Backend#optimizerStep} computes,
 * element by element, in a single pass over the parameter, its gradient and its state buffers.
 * Each record carries the per-step scalars (already combined in double precision, as PyTorch does in
 * Python) and documents the exact formula, which follows PyTorch 1.13's {@code torch/optim/*.py}
 * op by op. In every formula {@code g} starts as the gradient, negated first when {@code maximize}.
 */
public sealed interface OptimizerUpdate {
    /** Name used in error messages ("sgd", "adam", ...). */
    String name();

    /** Number of state buffers the kernel reads and writes, in the order given by the record's doc. */
    int stateCount();

    /**
     * SGD with momentum. State: {@code [buf]} when {@code momentum != 0}, else none.
     * <pre>
     * g = g + weightDecay * p                        (if weightDecay != 0)
     * buf = firstStep ? g : momentum * buf + (1 - dampening) * g     (if momentum != 0)
     * g = nesterov ? g + momentum * buf : buf                        (if momentum != 0)
     * p = p - lr * g
     * </pre>
     */
    record Sgd(double lr, double momentum, double dampening, double weightDecay, boolean nesterov, boolean maximize,
               boolean firstStep) implements OptimizerUpdate {
        @Override
        public String name() {
            return "sgd";
        }

        @Override
        public int stateCount() {
            return momentum != 0 ? 1 : 0;
        }
    }

    /**
     * Adam and AdamW. State: {@code [m, v]}, plus {@code vmax} when {@code amsgrad}.
     * <pre>
     * p = p * (1 - lr * weightDecay)                 (AdamW: decoupled)
     * g = g + weightDecay * p                        (Adam: L2 penalty, if weightDecay != 0)
     * m = beta1 * m + (1 - beta1) * g
     * v = beta2 * v + (1 - beta2) * g * g
     * vmax = max(vmax, v)                            (amsgrad; then v below means vmax)
     * p = p - stepSize * m / (sqrt(v) / biasCorrection2Sqrt + eps)
     * </pre>
     * with {@code stepSize = lr / (1 - beta1^t)} and {@code biasCorrection2Sqrt = sqrt(1 - beta2^t)}.
     */
    record Adam(double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled, boolean amsgrad,
                boolean maximize, double stepSize, double biasCorrection2Sqrt) implements OptimizerUpdate {
        @Override
        public String name() {
            return decoupled ? "adamw" : "adam";
        }

        @Override
        public int stateCount() {
            return amsgrad ? 3 : 2;
        }
    }

    /**
     * RMSprop. State: {@code [s]}, then {@code buf} when {@code momentum > 0}, then {@code a} when
     * {@code centered}.
     * <pre>
     * g = g + weightDecay * p                        (if weightDecay != 0)
     * s = alpha * s + (1 - alpha) * g * g
     * a = alpha * a + (1 - alpha) * g                (centered)
     * avg = sqrt(centered ? s - a * a : s) + eps
     * buf = momentum * buf + g / avg;  p = p - lr * buf     (momentum > 0)
     * p = p - lr * g / avg                                  (otherwise)
     * </pre>
     */
    record Rmsprop(double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered,
                   boolean maximize) implements OptimizerUpdate {
        @Override
        public String name() {
            return "rmsprop";
        }

        @Override
        public int stateCount() {
            return 1 + (momentum > 0 ? 1 : 0) + (centered ? 1 : 0);
        }
    }

    /**
     * Adagrad. State: {@code [sum]}. {@code clr = lr / (1 + (t - 1) * lrDecay)} is computed by the caller.
     * <pre>
     * g = g + weightDecay * p                        (if weightDecay != 0)
     * sum = sum + g * g
     * p = p - clr * g / (sqrt(sum) + eps)
     * </pre>
     */
    record Adagrad(double clr, double eps, double weightDecay, boolean maximize) implements OptimizerUpdate {
        @Override
        public String name() {
            return "adagrad";
        }

        @Override
        public int stateCount() {
            return 1;
        }
    }
}
