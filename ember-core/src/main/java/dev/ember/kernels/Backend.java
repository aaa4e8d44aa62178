package dev.ember.kernels;

import dev.ember.tensor.DType;
import dev.ember.tensor.Device;
import dev.ember.tensor.Generator;
import dev.ember.tensor.PadMode;
import dev.ember.tensor.Storage;
import dev.ember.tensor.Tensor;

/**
 * The kernels a device provides. Ops (in {@code dev.ember.ops}) validate arguments, compute output
 * shapes, allocate outputs and then call exactly one of these; a backend never sees autograd.
 *
 * <p>Conventions: inputs may have any strides (views, transposes, zero-stride broadcasts); outputs
 * are freshly allocated contiguous tensors unless a method says otherwise; inputs to one call have
 * the dtype the op promoted them to. A CUDA backend will implement the same interface over device
 * memory.
 */
public interface Backend {
    /** The device this backend computes on. */
    Device device();

    /** Zero-filled storage for {@code numel} elements. */
    Storage allocate(DType dtype, int numel);

    /**
     * Storage for {@code numel} elements whose contents are arbitrary, for an output the kernel called
     * next writes in full; a backend may return zero-filled storage.
     */
    default Storage allocateUninitialized(DType dtype, int numel) {
        return allocate(dtype, numel);
    }

    /** Copies {@code src} into {@code dst} (same shape, any strides on both), converting dtype. */
    void copy(Tensor src, Tensor dst);

    /** Sets every element of {@code dst} (any strides) to {@code value}. */
    void fill(Tensor dst, double value);

    /** {@code out = op(x)}; {@code out} may be any strides (in-place ops pass a view). */
    void unary(UnaryOp op, Tensor x, Tensor out, double p0, double p1);

    /** {@code out = op(a, b)}; a, b have out's shape; {@code out} may be any strides. */
    void binary(BinaryOp op, Tensor a, Tensor b, Tensor out, double p0);

    /** {@code out = cond ? a : b}; all of out's shape; cond is BOOL. */
    void where(Tensor cond, Tensor a, Tensor b, Tensor out);

    /**
     * Reduces {@code x} over the dimensions flagged in {@code reduceDims}; {@code out} has x's rank
     * with size 1 in reduced dimensions (keep-dim layout), contiguous.
     */
    void reduce(ReduceOp op, Tensor x, boolean[] reduceDims, Tensor out);

    /** Index (INT64) of the max ({@code max}) or min along {@code dim}; out has size 1 at dim. First index wins ties. */
    void argReduce(boolean max, Tensor x, int dim, Tensor out);

    /**
     * Batched matrix product {@code out[b] = a[b] @ b[b]}: a is [B, M, K], b is [B, K, N], out is
     * [B, M, N] contiguous. a and b may be transposed or broadcast (stride 0 on B) views.
     */
    void matmul(Tensor a, Tensor b, Tensor out);

    /**
     * A fully connected layer, {@code out = x @ w^T + bias}: x [M, K] (any 2-D strides), w [N, K], bias
     * [N] or null, out [M, N] contiguous. The bias is the GEMM's starting value, not a second pass.
     */
    void linear(Tensor x, Tensor w, Tensor bias, Tensor out);

    /** Softmax (or log-softmax) of x along {@code dim} into contiguous out. */
    void softmax(Tensor x, int dim, boolean log, Tensor out);

    /**
     * Gradient of softmax/log-softmax: with y the forward output and g the incoming gradient,
     * softmax: {@code y * (g - sum(g * y))}; log-softmax: {@code g - exp(y) * sum(g)}.
     */
    void softmaxBackward(Tensor g, Tensor y, int dim, boolean log, Tensor out);

    /** Fills contiguous {@code out} with uniform [low, high) values. */
    void uniform(Tensor out, double low, double high, Generator gen);

    /** Fills contiguous {@code out} with normal(mean, std) values. */
    void normal(Tensor out, double mean, double std, Generator gen);

    // ---------------------------------------------------------------- optimizers (dev.ember.optim)

    /**
     * Applies one fused optimizer update in place to {@code param} and its {@code state} buffers
     * (see {@link OptimizerUpdate} for the formulas and the order of the buffers). All tensors are
     * contiguous with the parameter's shape and dtype (FLOAT32 or FLOAT64); {@code grad} is read only.
     */
    void optimizerStep(OptimizerUpdate update, Tensor param, Tensor grad, Tensor[] state);

    // ================================================================ indexing, joining and shape ops
    // Kernels that read index tensors accept INT64 or INT32 indices and throw IndexOutOfRange for an
    // index outside [0, size); they never fail with an ArrayIndexOutOfBoundsException. gather and
    // scatter take tensors of rank >= 1 (ops view 0-d tensors as shape [1]).

    /**
     * {@code out[i][j][k] = x[i][index[i][j][k]][k]} for {@code dim = 1} (and likewise for other dims):
     * out has index's shape; {@code index.size(d) <= x.size(d)} for {@code d != dim}. Index may have any
     * strides, including 0 (a broadcast index turns this into index select).
     */
    void gather(Tensor x, int dim, Tensor index, Tensor out);

    /**
     * {@code out = self}, then {@code out[i][index[i][j][k]][k] = src[i][j][k]} for {@code dim = 1}
     * ({@code +=} when {@code accumulate}), over index's shape. {@code out} may be {@code self} itself
     * (in place, any strides); otherwise it is fresh and contiguous. Where several writes hit one
     * element without {@code accumulate}, the last in index order wins.
     */
    void scatter(Tensor self, int dim, Tensor index, Tensor src, boolean accumulate, Tensor out);

    /** Concatenation along {@code dim}: inputs have out's dtype and shape except at dim, whose sizes add up. */
    void cat(Tensor[] inputs, int dim, Tensor out);

    /**
     * Pads (or, for negative amounts, crops) x into out: {@code before[d]} elements are added in front
     * of dimension d, and out's shape gives the rest. New elements are {@code value} ({@link PadMode#CONSTANT}),
     * mirrored ({@link PadMode#REFLECT}) or copies of the edge ({@link PadMode#REPLICATE}).
     */
    void pad(Tensor x, int[] before, PadMode mode, double value, Tensor out);

    /**
     * Adjoint of {@link #pad}: out (zero-filled, contiguous, the unpadded shape) accumulates every
     * element of g at the input position it was copied from (constant-mode border elements are dropped).
     */
    void padBackward(Tensor g, int[] before, PadMode mode, Tensor out);

    /** x with the order of elements reversed along every dimension flagged in {@code dims}. */
    void flip(Tensor x, boolean[] dims, Tensor out);

    /**
     * The lower ({@code upper == false}: keeps {@code j - i <= k}) or upper ({@code j - i >= k})
     * triangle of each matrix in the last two dimensions of x, zeros elsewhere.
     */
    void triangle(Tensor x, int k, boolean upper, Tensor out);

    // ======================================================================================
    // Convolution, pooling and upsampling over NCHW images (ops in dev.ember.ops.Conv,
    // Pooling, Upsampling). Spatial output sizes are taken from the output tensor's shape.
    // ======================================================================================

    /**
     * 2-D cross-correlation: {@code out[n, co, oh, ow] = bias[co] + sum over ci, i, j of
     * x[n, g*Cg + ci, oh*sH - pH + i*dH, ow*sW - pW + j*dW] * w[co, ci, i, j]}, where {@code g} is
     * output channel co's group and {@code Cg = C / groups}; taps outside x read zero. x is
     * [N, C, H, W], w is [Cout, Cg, kH, kW], bias is [Cout] or null, out is [N, Cout, Ho, Wo].
     */
    void conv2d(Tensor x, Tensor w, Tensor bias, Conv2dParams p, Tensor out);

    /**
     * The adjoint of {@link #conv2d} in its input (a transposed convolution): scatters
     * {@code grad[n, co, oh, ow] * w[co, ci, i, j]} onto the input position each tap read, summing.
     * grad is [N, Cout, Ho, Wo], w is [Cout, Cg, kH, kW], gradInput is [N, C, H, W] (taps falling
     * outside it are dropped).
     */
    void conv2dBackwardInput(Tensor grad, Tensor w, Conv2dParams p, Tensor gradInput);

    /**
     * The adjoint of {@link #conv2d} in its weight (a correlation of input and gradient):
     * {@code gradWeight[co, ci, i, j] = sum over n, oh, ow of grad[n, co, oh, ow] *
     * x[n, g*Cg + ci, oh*sH - pH + i*dH, ow*sW - pW + j*dW]}. x is [N, C, H, W], grad is
     * [N, Cout, Ho, Wo], gradWeight is [Cout, Cg, kH, kW].
     */
    void conv2dBackwardWeight(Tensor x, Tensor grad, Conv2dParams p, Tensor gradWeight);

    /**
     * The gradients of {@link #conv2d} in its input, weight and bias at once (the three may share work);
     * any of the outputs may be null when it is not wanted. gradInput is zero-filled on entry; gradBias
     * is [Cout], {@code gradBias[co] = sum of grad[n, co, oh, ow]}.
     */
    void conv2dBackward(Tensor grad, Tensor x, Tensor w, Conv2dParams p, Tensor gradInput, Tensor gradWeight, Tensor gradBias);

    /**
     * Max pooling, values and argmax in one pass: each window's largest element goes to {@code values}
     * and its flat index {@code ih * W + iw} (INT64, within its [H, W] plane) to {@code indices}; the
     * first one wins ties, NaN wins over numbers. Both are [N, C, Ho, Wo]; either may be null when it
     * is not needed (inference needs no indices; {@code return_indices} alone no values).
     */
    void maxPool2d(Tensor x, Pool2dParams p, Tensor values, Tensor indices);

    /** {@code out[n, c, k] = x[n, c, indices[n, c, k]]} over flattened spatial planes (max pooling's values). */
    void gatherPlanes(Tensor x, Tensor indices, Tensor out);

    /** {@code out[n, c, indices[n, c, k]] += src[n, c, k]} over flattened planes; out starts zeroed (max pooling's gradient). */
    void scatterAddPlanes(Tensor src, Tensor indices, Tensor out);

    /**
     * Average pooling (dilation 1). A window's divisor is its size clipped to the padded input when
     * {@code countIncludePad}, else the number of real input elements it covers (PyTorch's rule).
     */
    void avgPool2d(Tensor x, Pool2dParams p, boolean countIncludePad, Tensor out);

    /** The adjoint of {@link #avgPool2d}: spreads each output gradient evenly over its window. */
    void avgPool2dBackward(Tensor grad, Pool2dParams p, boolean countIncludePad, Tensor gradInput);

    /** Adaptive average pooling: output cell {@code o} of n averages input {@code [floor(o*in/n), ceil((o+1)*in/n))}. */
    void adaptiveAvgPool2d(Tensor x, Tensor out);

    /** The adjoint of {@link #adaptiveAvgPool2d}. */
    void adaptiveAvgPool2dBackward(Tensor grad, Tensor gradInput);

    /** Nearest-neighbour upsampling (PyTorch's legacy {@code 'nearest'}: source {@code floor(dst * in/out)}). */
    void upsampleNearest2d(Tensor x, Tensor out);

    /** The adjoint of {@link #upsampleNearest2d}: sums output gradients onto their source pixels. */
    void upsampleNearest2dBackward(Tensor grad, Tensor gradInput);

    /** Bilinear resampling, with PyTorch's {@code align_corners} semantics for both settings. */
    void upsampleBilinear2d(Tensor x, boolean alignCorners, Tensor out);

    /** The adjoint of {@link #upsampleBilinear2d}. */
    void upsampleBilinear2dBackward(Tensor grad, boolean alignCorners, Tensor gradInput);

    // ======================================================================================
    // Losses (dev.ember.nn.Losses): the fused softmax cross-entropy over class indices.
    // ======================================================================================

    /**
     * Softmax cross-entropy of each row of contiguous {@code x} [M, C] against class indices
     * {@code target} [M] (INT64 or INT32, any stride), with label smoothing {@code eps} in [0, 1]:
     * {@code lse[i] = log sum_j e^x[i, j]} and {@code rowLoss[i] = lse[i] - (1 - eps) x[i, t_i] - eps/C sum_j x[i, j]}
     * (which is {@code -(1 - eps) log p[i, t_i] - eps/C sum_j log p[i, j]} with p the row's softmax).
     * Rows whose target equals {@code ignoreIndex} get loss 0. rowLoss and lse are contiguous [M] of x's
     * dtype. Returns the number of rows not ignored; throws {@link IndexOutOfRange} (dimension 1, size C)
     * before computing anything when another target lies outside [0, C).
     */
    int crossEntropy(Tensor x, Tensor target, long ignoreIndex, double eps, Tensor rowLoss, Tensor lse);

    /**
     * The gradient of {@link #crossEntropy} with respect to x, given each row's incoming gradient
     * {@code rowGrad} [M] (any stride, 0 for a broadcast scalar) and the saved {@code lse}:
     * {@code grad[i, j] = rowGrad[i] * (e^(x[i, j] - lse[i]) - eps/C - (1 - eps) [j == t_i])}, and zero rows
     * where the target is {@code ignoreIndex}. grad is contiguous [M, C].
     */
    void crossEntropyBackward(Tensor x, Tensor target, Tensor lse, Tensor rowGrad, long ignoreIndex, double eps, Tensor grad);

    // ------------------------------------------------------------------ batch normalisation (training mode)

    /**
     * Per-channel mean and biased variance of a contiguous FLOAT32 x viewed as [N, C, S] (S: the
     * product of the trailing dims), accumulated in double; mean and var are [C].
     */
    void batchNormStats(Tensor x, Tensor mean, Tensor var);

    /** {@code out = (x - mean[c]) * invstd[c] * weight[c] + bias[c]} over FLOAT32 [N, C, S]; weight and bias may be null. */
    void batchNormForward(Tensor x, Tensor mean, Tensor invstd, Tensor weight, Tensor bias, Tensor out);

    /**
     * The training-mode batch-norm gradients for output gradient g (both FLOAT32 [N, C, S], contiguous):
     * with {@code xhat = (x - mean) invstd} and M = N*S, {@code gradBias = sum g},
     * {@code gradWeight = sum g xhat}, {@code gradX = weight invstd (g - gradBias/M - xhat gradWeight/M)}.
     * Any of gradX, gradWeight, gradBias may be null (not needed); weight null means 1.
     */
    void batchNormBackward(Tensor g, Tensor x, Tensor mean, Tensor invstd, Tensor weight, Tensor gradX, Tensor gradWeight,
                           Tensor gradBias);
}
