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
}
