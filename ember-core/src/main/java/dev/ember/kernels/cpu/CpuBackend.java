package dev.ember.kernels.cpu;

import dev.ember.kernels.Backend;
import dev.ember.kernels.BinaryOp;
import dev.ember.kernels.OptimizerUpdate;
import dev.ember.kernels.Conv2dParams;
import dev.ember.kernels.Pool2dParams;
import dev.ember.kernels.ReduceOp;
import dev.ember.kernels.UnaryOp;
import dev.ember.tensor.DType;
import dev.ember.tensor.Device;
import dev.ember.tensor.Generator;
import dev.ember.tensor.HeapStorage;
import dev.ember.tensor.PadMode;
import dev.ember.tensor.Storage;
import dev.ember.tensor.Tensor;

/** The CPU backend: heap arrays, Vector API loops, all cores through {@link Parallel}. */
public final class CpuBackend implements Backend {
    /** The single instance. */
    public static final CpuBackend INSTANCE = new CpuBackend();

    private CpuBackend() {
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    @Override
    public Storage allocate(DType dtype, int numel) {
        return HeapStorage.allocate(dtype, numel);
    }

    @Override
    public Storage allocateUninitialized(DType dtype, int numel) {
        return HeapStorage.allocateUninitialized(dtype, numel);
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        CpuElementwise.copy(src, dst);
    }

    @Override
    public void fill(Tensor dst, double value) {
        CpuElementwise.fill(dst, value);
    }

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor out, double p0, double p1) {
        CpuElementwise.unary(op, x, out, p0, p1);
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out, double p0) {
        CpuElementwise.binary(op, a, b, out, p0);
    }

    @Override
    public void where(Tensor cond, Tensor a, Tensor b, Tensor out) {
        CpuElementwise.where(cond, a, b, out);
    }

    @Override
    public void reduce(ReduceOp op, Tensor x, boolean[] reduceDims, Tensor out) {
        CpuReduce.reduce(op, x, reduceDims, out);
    }

    @Override
    public void argReduce(boolean max, Tensor x, int dim, Tensor out) {
        CpuReduce.argReduce(max, x, dim, out);
    }

    @Override
    public void matmul(Tensor a, Tensor b, Tensor out) {
        CpuMatmul.matmul(a, b, out);
    }

    @Override
    public void linear(Tensor x, Tensor w, Tensor bias, Tensor out) {
        CpuMatmul.linear(x, w, bias, out);
    }

    @Override
    public void softmax(Tensor x, int dim, boolean log, Tensor out) {
        CpuSoftmax.softmax(x, dim, log, out);
    }

    @Override
    public void softmaxBackward(Tensor g, Tensor y, int dim, boolean log, Tensor out) {
        CpuSoftmax.softmaxBackward(g, y, dim, log, out);
    }

    @Override
    public void uniform(Tensor out, double low, double high, Generator gen) {
        HeapStorage s = (HeapStorage) out.storage();
        int n = out.numel(), off = out.offset();
        double span = high - low;
        if (s.array() instanceof float[] f) {
            for (int i = 0; i < n; i++) f[off + i] = (float) (low + span * gen.nextFloat());
        } else {
            for (int i = 0; i < n; i++) s.setDouble(off + i, low + span * gen.nextDouble());
        }
    }

    @Override
    public void normal(Tensor out, double mean, double std, Generator gen) {
        HeapStorage s = (HeapStorage) out.storage();
        int n = out.numel(), off = out.offset();
        for (int i = 0; i < n; i++) s.setDouble(off + i, mean + std * gen.nextGaussian());
    }

    // ---------------------------------------------------------------- optimizers

    @Override
    public void optimizerStep(OptimizerUpdate update, Tensor param, Tensor grad, Tensor[] state) {
        CpuOptimizer.step(update, param, grad, state);
    }

    // ================================================================ indexing, joining and shape ops

    @Override
    public void gather(Tensor x, int dim, Tensor index, Tensor out) {
        CpuIndexing.gather(x, dim, index, out);
    }

    @Override
    public void scatter(Tensor self, int dim, Tensor index, Tensor src, boolean accumulate, Tensor out) {
        CpuIndexing.scatter(self, dim, index, src, accumulate, out);
    }

    @Override
    public void cat(Tensor[] inputs, int dim, Tensor out) {
        CpuShapeOps.cat(inputs, dim, out);
    }

    @Override
    public void pad(Tensor x, int[] before, PadMode mode, double value, Tensor out) {
        CpuShapeOps.pad(x, before, mode, value, out);
    }

    @Override
    public void padBackward(Tensor g, int[] before, PadMode mode, Tensor out) {
        CpuShapeOps.padBackward(g, before, mode, out);
    }

    @Override
    public void flip(Tensor x, boolean[] dims, Tensor out) {
        CpuShapeOps.flip(x, dims, out);
    }

    @Override
    public void triangle(Tensor x, int k, boolean upper, Tensor out) {
        CpuShapeOps.triangle(x, k, upper, out);
    }

    // ======================================================================================
    // Convolution, pooling and upsampling (NCHW): CpuConv, CpuPool, CpuResample.
    // ======================================================================================

    @Override
    public void conv2d(Tensor x, Tensor w, Tensor bias, Conv2dParams p, Tensor out) {
        CpuConv.conv2d(x, w, bias, p, out);
    }

    @Override
    public void conv2dBackwardInput(Tensor grad, Tensor w, Conv2dParams p, Tensor gradInput) {
        CpuConv.conv2dBackwardInput(grad, w, p, gradInput);
    }

    @Override
    public void conv2dBackwardWeight(Tensor x, Tensor grad, Conv2dParams p, Tensor gradWeight) {
        CpuConv.conv2dBackwardWeight(x, grad, p, gradWeight);
    }

    @Override
    public void conv2dBackward(Tensor grad, Tensor x, Tensor w, Conv2dParams p, Tensor gradInput, Tensor gradWeight,
                               Tensor gradBias) {
        CpuConv.conv2dBackward(grad, x, w, p, gradInput, gradWeight, gradBias);
    }

    @Override
    public void maxPool2d(Tensor x, Pool2dParams p, Tensor values, Tensor indices) {
        CpuPool.maxPool2d(x, p, values, indices);
    }

    @Override
    public void gatherPlanes(Tensor x, Tensor indices, Tensor out) {
        CpuPool.gatherPlanes(x, indices, out);
    }

    @Override
    public void scatterAddPlanes(Tensor src, Tensor indices, Tensor out) {
        CpuPool.scatterAddPlanes(src, indices, out);
    }

    @Override
    public void avgPool2d(Tensor x, Pool2dParams p, boolean countIncludePad, Tensor out) {
        CpuResample.avgPool2d(x, p, countIncludePad, out, false);
    }

    @Override
    public void avgPool2dBackward(Tensor grad, Pool2dParams p, boolean countIncludePad, Tensor gradInput) {
        CpuResample.avgPool2d(grad, p, countIncludePad, gradInput, true);
    }

    @Override
    public void adaptiveAvgPool2d(Tensor x, Tensor out) {
        CpuResample.adaptiveAvgPool2d(x, out, false);
    }

    @Override
    public void adaptiveAvgPool2dBackward(Tensor grad, Tensor gradInput) {
        CpuResample.adaptiveAvgPool2d(grad, gradInput, true);
    }

    @Override
    public void upsampleNearest2d(Tensor x, Tensor out) {
        CpuResample.upsampleNearest2d(x, out, false);
    }

    @Override
    public void upsampleNearest2dBackward(Tensor grad, Tensor gradInput) {
        CpuResample.upsampleNearest2d(grad, gradInput, true);
    }

    @Override
    public void upsampleBilinear2d(Tensor x, boolean alignCorners, Tensor out) {
        CpuResample.upsampleBilinear2d(x, alignCorners, out, false);
    }

    @Override
    public void upsampleBilinear2dBackward(Tensor grad, boolean alignCorners, Tensor gradInput) {
        CpuResample.upsampleBilinear2d(grad, alignCorners, gradInput, true);
    }

    // ======================================================================================
    // Losses: CpuLosses.
    // ======================================================================================

    @Override
    public int crossEntropy(Tensor x, Tensor target, long ignoreIndex, double eps, Tensor rowLoss, Tensor lse) {
        return CpuLosses.crossEntropy(x, target, ignoreIndex, eps, rowLoss, lse);
    }

    @Override
    public void crossEntropyBackward(Tensor x, Tensor target, Tensor lse, Tensor rowGrad, long ignoreIndex, double eps, Tensor grad) {
        CpuLosses.crossEntropyBackward(x, target, lse, rowGrad, ignoreIndex, eps, grad);
    }

    @Override
    public void batchNormStats(Tensor x, Tensor mean, Tensor var) {
        CpuBatchNorm.stats(x, mean, var);
    }

    @Override
    public void batchNormForward(Tensor x, Tensor mean, Tensor invstd, Tensor weight, Tensor bias, Tensor out) {
        CpuBatchNorm.forward(x, mean, invstd, weight, bias, out);
    }

    @Override
    public void batchNormBackward(Tensor g, Tensor x, Tensor mean, Tensor invstd, Tensor weight, Tensor gradX, Tensor gradWeight,
                                  Tensor gradBias) {
        CpuBatchNorm.backward(g, x, mean, invstd, weight, gradX, gradWeight, gradBias);
    }
}
