package dev.ember.nn;

import dev.ember.autograd.Dispatch;
import dev.ember.kernels.Backends;
import dev.ember.tensor.DType;
import dev.ember.tensor.Shape;

import dev.ember.autograd.Grad;
import dev.ember.tensor.Tensor;

import java.util.Arrays;

/** The normalisation functions behind {@link F#batchNorm}, {@link F#layerNorm} and {@link F#groupNorm}. */
final class Normalization {
    private Normalization() {
    }

    /** Dimensions of an [N, C, *] tensor other than the channel dimension. */
    static int[] allButChannel(int rank) {
        int[] d = new int[rank - 1];
        d[0] = 0;
        for (int i = 2; i < rank; i++) d[i - 1] = i;
        return d;
    }

    /** Reshapes a per-channel [C] tensor to broadcast over [N, C, *]. */
    static Tensor perChannel(Tensor v, int rank) {
        int[] s = new int[rank];
        Arrays.fill(s, 1);
        s[1] = v.size(0);
        return v.reshape(s);
    }

    static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias, boolean training,
                            double momentum, double eps, Tensor numBatchesTracked) {
        if (x.rank() < 2) throw new IllegalArgumentException("batchNorm: expected input [N, C, *], got " + x.shape());
        int c = x.size(1);
        for (Tensor t : new Tensor[] {runningMean, runningVar, weight, bias}) {
            if (t != null && (t.rank() != 1 || t.size(0) != c)) {
                throw new IllegalArgumentException("batchNorm: per-channel tensors must have shape [" + c + "] for input " + x.shape()
                        + ", got " + t.shape());
            }
        }
        int[] dims = allButChannel(x.rank());
        Tensor mean, var;
        if (training || runningMean == null) {
            int n = x.numel() / Math.max(c, 1);
            if (training && n <= 1) {
                throw new IllegalArgumentException("batchNorm: expected more than 1 value per channel when training, got input " + x.shape());
            }
            if (x.dtype() == DType.FLOAT32) return fusedBatchStatistics(x, runningMean, runningVar, weight, bias, training, momentum, eps,
                    numBatchesTracked, n);
            mean = x.mean(dims, true);
            var = x.var(dims, 0, true);
            if (training) updateRunningStats(runningMean, runningVar, numBatchesTracked, mean.detach().reshape(c), var.detach().reshape(c),
                    n, momentum);
        } else {
            mean = perChannel(runningMean, x.rank());
            var = perChannel(runningVar, x.rank());
        }
        Tensor y = x.sub(mean).mul(var.add(eps).rsqrt());
        if (weight != null) y = y.mul(perChannel(weight, x.rank()));
        if (bias != null) y = y.add(perChannel(bias, x.rank()));
        return y;
    }

    /**
     * Training mode's running averages (when kept) and batch counter, from the batch's per-channel
     * mean and biased variance over n values; the variance is stored unbiased, as PyTorch does.
     * Momentum NaN means a cumulative average over the batches counted so far.
     */
    private static void updateRunningStats(Tensor runningMean, Tensor runningVar, Tensor numBatchesTracked, Tensor batchMean,
                                           Tensor batchVar, int n, double momentum) {
        try (var g = Grad.off()) {
            if (runningMean != null) {
                double m = momentum;
                if (Double.isNaN(momentum) && numBatchesTracked != null) {
                    m = 1.0 / (numBatchesTracked.item() + 1); // cumulative moving average
                }
                Tensor unbiased = batchVar.mul((double) n / Math.max(n - 1, 1));
                runningMean.mulInPlace(1 - m).addInPlace(batchMean.mul(m));
                runningVar.mulInPlace(1 - m).addInPlace(unbiased.mul(m));
            }
            if (numBatchesTracked != null) numBatchesTracked.addInPlace(1);
        }
    }

    /**
     * Batch statistics mode for FLOAT32: the statistics from one kernel (also feeding the running
     * averages), the normalisation and its gradient as one op ({@link BatchNormOp}). FLOAT64 (gradient
     * checks) takes the composite path it is tested against.
     */
    private static Tensor fusedBatchStatistics(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                               boolean training, double momentum, double eps, Tensor numBatchesTracked, int n) {
        int c = x.size(1);
        Tensor xc = x.contiguous();
        Tensor mean = Tensor.empty(Shape.of(c), x.dtype(), x.device()), var = Tensor.empty(Shape.of(c), x.dtype(), x.device());
        Tensor invstd;
        try (var g = Grad.off()) {
            Backends.get(x.device()).batchNormStats(xc, mean, var);
            invstd = var.add(eps).rsqrt();
        }
        if (training) updateRunningStats(runningMean, runningVar, numBatchesTracked, mean, var, n, momentum);
        java.util.List<Tensor> in = new java.util.ArrayList<>(java.util.List.of(xc, mean, invstd));
        if (weight != null) in.add(weight);
        if (bias != null) in.add(bias);
        return Dispatch.apply(new BatchNormOp(eps, weight != null, bias != null), in.toArray(Tensor[]::new));
    }

    static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        int k = normalizedShape.length;
        boolean ok = k <= x.rank();
        for (int i = 0; ok && i < k; i++) ok = x.size(x.rank() - k + i) == normalizedShape[i];
        if (!ok) {
            throw new IllegalArgumentException("layerNorm: input " + x.shape() + " does not end with the normalized shape "
                    + Arrays.toString(normalizedShape));
        }
        int[] dims = new int[k];
        for (int i = 0; i < k; i++) dims[i] = x.rank() - k + i;
        Tensor mean = x.mean(dims, true);
        Tensor var = x.var(dims, 0, true);
        Tensor y = x.sub(mean).mul(var.add(eps).rsqrt());
        if (weight != null) y = y.mul(weight);
        if (bias != null) y = y.add(bias);
        return y;
    }

    static Tensor groupNorm(Tensor x, int groups, Tensor weight, Tensor bias, double eps) {
        if (x.rank() < 2) throw new IllegalArgumentException("groupNorm: expected input [N, C, *], got " + x.shape());
        int n = x.size(0), c = x.size(1);
        if (groups <= 0 || c % groups != 0) {
            throw new IllegalArgumentException("groupNorm: the number of channels (" + c + ") must be divisible by the number of groups ("
                    + groups + ")");
        }
        Tensor g = x.reshape(n, groups, -1);
        Tensor mean = g.mean(new int[] {2}, true);
        Tensor var = g.var(new int[] {2}, 0, true);
        Tensor y = g.sub(mean).mul(var.add(eps).rsqrt()).reshape(x.shape().toArray());
        if (weight != null) y = y.mul(perChannel(weight, x.rank()));
        if (bias != null) y = y.add(perChannel(bias, x.rank()));
        return y;
    }
}
