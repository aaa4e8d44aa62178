package dev.ember.nn;

import dev.ember.autograd.Context;
import dev.ember.autograd.Dispatch;
import dev.ember.autograd.GradMode;
import dev.ember.autograd.Op;
import dev.ember.kernels.Backends;
import dev.ember.kernels.IndexOutOfRange;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;

/**
 * The two losses that are primitives rather than compositions of tensor ops: the fused softmax
 * cross-entropy (the training loss of every classifier, so it is worth a kernel) and binary
 * cross-entropy (whose PyTorch gradient {@code (x - t) / max(x (1 - x), 1e-12)} is not the derivative
 * of its clamped forward at 0 and 1, so autograd through the composite would not match it).
 */
final class LossOps {
    private LossOps() {
    }

    /**
     * Softmax cross-entropy of logits [M, C] against class indices [M] (INT64 or INT32), with label
     * smoothing and ignoreIndex, reduced: forward is one log-sum-exp per row and a pick, backward
     * writes {@code scale * (softmax - smoothed one-hot)} directly. Equal, up to rounding, to the
     * composite {@code nllLoss(logSoftmax(x, 1), target)} mixed with the smoothing term (see
     * {@link Losses#crossEntropyComposite}), against which the tests hold it.
     */
    record SoftmaxCrossEntropy(long ignoreIndex, double labelSmoothing, Reduction reduction) implements Op {
        @Override
        public String name() {
            return "crossEntropy";
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor x = in[0].contiguous(), t = in[1];
            int m = x.size(0);
            Tensor rowLoss = Tensor.empty(Shape.of(m), x.dtype(), x.device());
            Tensor lse = Tensor.empty(Shape.of(m), x.dtype(), x.device());
            int counted;
            try {
                counted = Backends.get(x.device()).crossEntropy(x, t, ignoreIndex, labelSmoothing, rowLoss, lse);
            } catch (IndexOutOfRange e) {
                throw Losses.classOutOfRange("crossEntropy", e.index(), e.size(), ignoreIndex);
            }
            if (ctx.isRecording()) ctx.save(in[0], t, lse, Tensor.full(Shape.SCALAR, counted, x.dtype()));
            return switch (reduction) {
                case NONE -> rowLoss;
                case SUM -> rowLoss.sum();
                case MEAN -> rowLoss.sum().div(counted); // 0 / 0 = NaN when every target is ignored, as PyTorch
            };
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor g) {
            if (!ctx.needsInputGrad(0)) return new Tensor[2];
            Tensor x = ctx.saved(0), t = ctx.saved(1), lse = ctx.saved(2), counted = ctx.saved(3);
            Shape rows = Shape.of(x.size(0));
            Tensor rowGrad = switch (reduction) {
                case NONE -> g;
                case SUM -> g.broadcastTo(rows);
                case MEAN -> g.div(counted).broadcastTo(rows);
            };
            if (GradMode.isEnabled()) return new Tensor[] {compositeGrad(x, t, rowGrad), null}; // building a graph: differentiable form
            return new Tensor[] {Dispatch.apply(new SoftmaxCrossEntropyBackward(ignoreIndex, labelSmoothing), x, t, lse, rowGrad), null};
        }

        /** The same gradient from tensor ops, so that it can itself be differentiated. */
        private Tensor compositeGrad(Tensor x, Tensor t, Tensor rowGrad) {
            int c = x.size(1);
            Tensor ignored = t.eq((double) ignoreIndex);
            Tensor target = Tensor.oneHot(t.maskedFill(ignored, 0), c).to(x.dtype()).mul(1 - labelSmoothing).add(labelSmoothing / c);
            // Masking the row scale (not the product) keeps an all-ignored batch's 1/0 scale out of the graph.
            Tensor scale = rowGrad.maskedFill(ignored, 0).unsqueeze(1);
            return x.softmax(1).sub(target).mul(scale);
        }
    }

    /** The first-order gradient kernel of {@link SoftmaxCrossEntropy}: inputs x, target, lse, rowGrad. */
    record SoftmaxCrossEntropyBackward(long ignoreIndex, double labelSmoothing) implements Op {
        @Override
        public String name() {
            return "crossEntropyBackward";
        }

        @Override
        public boolean differentiable() {
            return false;
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor x = in[0].contiguous();
            Tensor grad = Tensor.empty(x.shape(), x.dtype(), x.device());
            Backends.get(x.device()).crossEntropyBackward(x, in[1], in[2], in[3], ignoreIndex, labelSmoothing, grad);
            return grad;
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor g) {
            throw new IllegalStateException("crossEntropyBackward is first-order only");
        }
    }

    /**
     * Elementwise binary cross-entropy of probabilities x against targets t (same shape), as PyTorch
     * 1.13: {@code (t - 1) max(log(1 - x), -100) - t max(log x, -100)}; gradients
     * {@code (x - t) / max(x (1 - x), 1e-12)} for x and {@code log(1 - x) - log x} for t.
     */
    record BinaryCrossEntropy() implements Op {
        private static final double EPSILON = 1e-12;

        @Override
        public String name() {
            return "binaryCrossEntropy";
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor x = in[0], t = in[1];
            ctx.save(x, t);
            Tensor logX = x.log().clamp(-100, Double.NaN), log1mX = x.neg().log1p().clamp(-100, Double.NaN);
            return t.sub(1.0).mul(log1mX).sub(t.mul(logX));
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor g) {
            Tensor x = ctx.saved(0), t = ctx.saved(1);
            Tensor gx = ctx.needsInputGrad(0) ? g.mul(x.sub(t)).div(x.mul(x.neg().add(1.0)).clamp(EPSILON, Double.NaN)) : null;
            Tensor gt = ctx.needsInputGrad(1) ? g.mul(x.neg().log1p().sub(x.log())) : null;
            return new Tensor[] {gx, gt};
        }
    }
}
