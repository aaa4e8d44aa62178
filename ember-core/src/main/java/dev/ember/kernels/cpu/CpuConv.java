package dev.ember.kernels.cpu;

import dev.ember.kernels.Conv2dParams;
import dev.ember.kernels.ReduceOp;
import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;
import dev.ember.tensor.TensorAccess;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * 2-D convolution kernels (forward, input gradient, weight gradient). FLOAT32 runs as im2col + GEMM;
 * FLOAT64 (gradient checks) runs the plain loops of {@link CpuConvDirect}.
 *
 * <p>The FLOAT32 layouts are chosen for {@link Gemm#sgemm}, which reads its A operand in place
 * (tuned for tall A) and packs B: the big im2col matrix is A, or the output, never B. Per group,
 * with {@code K = kH * kW * C/groups} and P the output pixels of a chunk of images:
 * <pre>
 *   forward:         Y[P, Cout]   = col[P, K] x W'[Cout, K]^T      pixel-major col from a padded NHWC copy;
 *                                                                   Y transposed to NCHW with the bias
 *   input gradient:  colT[K, P]   = W^T[K, Cout] x G[Cout, P]      then scattered back onto the image (col2im)
 *   weight gradient: W^T[K, Cout] += colT[K, P] x G[Cout, P]^T     channel-major colT straight from NCHW
 * </pre>
 * W' is the weight permuted to (co, i, j, c); G is the output gradient copied channel-major. With the
 * Vector API, the forward pass of kernels larger than 1x1 instead runs {@link VectorConv}'s fused form,
 * {@code Y[Cout, P] = W x col[K, P]} with col's panels gathered from the image into the GEMM's packing
 * buffer (7-11% faster than the pixel-major form on the default CNN's and the ResNet's layers). The batch
 * is cut into chunks of a few images, so scratch memory stays a few MB whatever the batch size; the
 * kernel threads pull chunks from a shared counter (with fewer images than threads, the GEMMs use
 * the threads instead).
 */
final class CpuConv {
    /**
     * Target im2col chunk size in floats (a few images' worth, 1 MB, so the im2col matrix and the packed
     * panels stay in a 2 MB L2; 2 MB chunks made the default CNN's step ~4% slower, 43.7 vs 42.0 ms over
     * three alternating pairs, and the ResNet's no different); tests lower it to exercise chunking.
     */
    static volatile int chunkFloats = 1 << 18;
    /**
     * Largest K (taps x channels per group) for which the forward pass takes the channel-major form
     * (3x3 over up to 3 channels); tests switch it to exercise both forms. The default CNN's first layer
     * (K = 9): 3.9 -> 2.6 ms per batch of 128; its second (K = 288) is faster pixel-major (6.5 vs 7.2 ms).
     */
    static volatile int channelMajorMaxK = 32;
    /**
     * Batches of at most this many images take the channel-major form whatever K: for one image the
     * pixel-major form's weight permutation and its transpose of the [pixels, Cout] result cost more than
     * the GEMM's shape saves (default CNN, batch-1 inference: 0.149-0.152 vs 0.156 ms; at 8 images the
     * two forms are even, at 32 pixel-major is 7% faster). Tests set both limits to force one form.
     */
    static volatile int channelMajorMaxImages = 1;

    /** Whether the forward pass may take {@link VectorConv}'s fused form (tests switch it off to exercise the others). */
    static volatile boolean fusedForward = true;

    /** The forward pass whose GEMM gathers its B panels from the image, or null without the Vector API. */
    private static final FusedForward FUSED = loadFused();

    /** A forward pass over images [n0, n1) of one call (see {@link VectorConv}). */
    interface FusedForward {
        /** Images the pass takes at a time (tasks of fewer leave its buffers part empty). */
        int imagesPerChunk(ConvLayout g);

        void forward(ConvLayout g, float[] x, int xOff, float[] w, int wOff, float[] bias, int bOff,
                     float[] out, int oOff, int n0, int n1);
    }

    private static FusedForward loadFused() {
        if (Simd.vectorBits() == 0) return null;
        try {
            // Reflection keeps the vector classes unloaded when the incubator module is absent (as Gemm does).
            return (FusedForward) Class.forName("dev.ember.kernels.cpu.VectorConv").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    private CpuConv() {
    }

    static void conv2d(Tensor x, Tensor w, Tensor bias, Conv2dParams p, Tensor out) {
        if (out.numel() == 0) return;
        if (out.dtype() == DType.FLOAT64) {
            CpuConvDirect.conv2d(x, w, bias, p, out);
            return;
        }
        ConvLayout g = ConvLayout.of(TensorAccess.dims(x), TensorAccess.dims(w), TensorAccess.dims(out), p);
        x = x.contiguous();
        Tensor wc = w.contiguous();
        Tensor bc = bias == null ? null : bias.contiguous();
        float[] ba = bc == null ? null : floats(bc);
        int bOff = bc == null ? 0 : bc.offset();
        if (g.cg == 1 && g.groups > 1) {
            depthwise(g, floats(x), x.offset(), floats(wc), wc.offset(), ba, bOff, floats(out), out.offset());
            return;
        }
        // The fused form for batches that fill the threads; 1x1 kernels (K = channels) gain nothing from
        // it: the pixel-major form needs no im2col there (0.52 vs 0.59 ms, 32 channels at 16x16, batch 128).
        if (FUSED != null && fusedForward && g.n >= Parallel.threads() && g.kh * g.kw > 1) {
            float[] xa = floats(x), wa = floats(wc), oa = floats(out);
            int xOff = x.offset(), wOff = wc.offset(), oOff = out.offset(), chunk = FUSED.imagesPerChunk(g);
            forImageTasks(g.n, taskCount(g.n, chunk, Integer.MAX_VALUE),
                    (t, n0, n1, par) -> FUSED.forward(g, xa, xOff, wa, wOff, ba, bOff, oa, oOff, n0, n1));
            return;
        }
        if (g.kc() <= channelMajorMaxK || g.n <= channelMajorMaxImages) {
            channelMajorForward(g, floats(x), x.offset(), floats(wc), wc.offset(), ba, bOff, floats(out), out.offset());
            return;
        }
        float[] xa = floats(x), wt = g.tapsLastWeight(floats(wc), wc.offset(), scratch(3, g.cout * g.kc())), oa = floats(out);
        int xOff = x.offset(), oOff = out.offset();
        int chunk = g.imagesPerChunk(chunkFloats), kc = g.kc(), pix = g.pixels(), ps = g.paddedSize();
        forImageTasks(g.n, taskCount(g.n, chunk, Integer.MAX_VALUE), (t, n0, n1, par) -> {
            int nbMax = Math.min(chunk, n1 - n0);
            float[] xp = scratch(0, nbMax * ps);
            float[] col = g.identityIm2col() ? xp : scratch(1, nbMax * pix * kc);
            float[] y = scratch(2, nbMax * pix * g.cout);
            for (int c0 = n0; c0 < n1; c0 += chunk) {
                int nb = Math.min(chunk, n1 - c0);
                for (int q = 0; q < nb; q++) g.toPaddedNhwc(xa, xOff + (c0 + q) * g.imageSize(), xp, q * ps);
                for (int gi = 0; gi < g.groups; gi++) {
                    if (!g.identityIm2col()) {
                        for (int q = 0; q < nb; q++) g.im2colPixels(xp, q * ps, gi, col, q * pix * kc);
                    }
                    Gemm.sgemm(false, true, nb * pix, g.coutG, kc, col, 0, kc, wt, gi * g.coutG * kc, kc,
                            y, gi * g.coutG, g.cout, false, par);
                }
                for (int q = 0; q < nb; q++) {
                    g.pixelsToNchw(y, q * pix * g.cout, oa, oOff + (c0 + q) * g.outImageSize(), ba, bOff);
                }
            }
        });
    }

    /**
     * The forward pass for a small K (few input channels, e.g. a network's first layer on grey or RGB
     * images): per image and group, {@code Y[coutG, pixels] = W[coutG, K] x colT[K, pixels]} with the
     * channel-major im2col of the backward passes. The product lands in NCHW order directly; the
     * pixel-major form would spend more on transposing its [pixels, Cout] result than on the GEMM,
     * whose K is too short to pay for it.
     */
    private static void channelMajorForward(ConvLayout g, float[] x, int xOff, float[] w, int wOff, float[] bias, int bOff,
                                            float[] out, int oOff) {
        int kc = g.kc(), pix = g.pixels();
        forImageTasks(g.n, taskCount(g.n, 1, Integer.MAX_VALUE), (t, n0, n1, par) -> {
            float[] col = scratch(1, kc * pix);
            for (int img = n0; img < n1; img++) {
                int o = oOff + img * g.outImageSize();
                for (int gi = 0; gi < g.groups; gi++) {
                    g.im2colRows(x, xOff + img * g.imageSize(), gi, col, 0, pix);
                    Gemm.sgemm(false, false, g.coutG, pix, kc, w, wOff + gi * g.coutG * kc, kc, col, 0, pix,
                            out, o + gi * g.coutG * pix, pix, false, par);
                }
                g.addBias(out, o, bias, bOff);
            }
        });
    }

    /**
     * Convolutions whose groups have one input channel each (depthwise): per output plane, each kernel
     * tap adds a scaled, shifted copy of its input plane, row by row. im2col would move single floats.
     */
    private static void depthwise(ConvLayout g, float[] x, int xOff, float[] w, int wOff, float[] bias, int bOff,
                                  float[] out, int oOff) {
        int taps = g.kh * g.kw, plane = g.h * g.w, pix = g.pixels();
        Parallel.forRange(g.n * g.cout, Math.max(1, (1 << 15) / Math.max(1, pix * taps)), (s, e) -> {
            for (int nc = s; nc < e; nc++) {
                int co = nc % g.cout, d0 = oOff + nc * pix;
                int xp = xOff + ((nc / g.cout) * g.c + co / g.coutG) * plane;
                java.util.Arrays.fill(out, d0, d0 + pix, bias == null ? 0f : bias[bOff + co]);
                for (int i = 0; i < g.kh; i++) {
                    for (int j = 0; j < g.kw; j++) {
                        float wv = w[wOff + co * taps + i * g.kw + j];
                        int lo = g.owLo(j), hi = g.owHi(j), shift = j * g.dW - g.pW;
                        for (int oh = 0; oh < g.ho; oh++) {
                            int ih = oh * g.sH - g.pH + i * g.dH;
                            if (ih < 0 || ih >= g.h) continue;
                            int src = xp + ih * g.w + shift, d = d0 + oh * g.wo;
                            if (g.sW == 1) {
                                for (int ow = lo; ow < hi; ow++) out[d + ow] += wv * x[src + ow];
                            } else {
                                for (int ow = lo; ow < hi; ow++) out[d + ow] += wv * x[src + ow * g.sW];
                            }
                        }
                    }
                }
            }
        });
    }

    static void conv2dBackwardInput(Tensor grad, Tensor w, Conv2dParams p, Tensor gradInput) {
        if (gradInput.numel() == 0) return;
        if (gradInput.dtype() == DType.FLOAT64) {
            CpuConvDirect.backwardInput(grad, w, p, gradInput);
            return;
        }
        if (grad.numel() == 0) return;
        // gradInput stands for x: only its shape is read, and it may be larger than the conv reads.
        backwardGemms(grad, gradInput, w, p, gradInput, null, null);
    }

    static void conv2dBackwardWeight(Tensor x, Tensor grad, Conv2dParams p, Tensor gradWeight) {
        if (gradWeight.numel() == 0) return;
        if (gradWeight.dtype() == DType.FLOAT64) {
            CpuConvDirect.backwardWeight(x, grad, p, gradWeight);
            return;
        }
        if (grad.numel() == 0) {
            CpuElementwise.fill(gradWeight, 0); // a sum over no images (the output may come unzeroed)
            return;
        }
        backwardGemms(grad, x, gradWeight, p, null, gradWeight, null);
    }

    /**
     * The input, weight and bias gradients of one conv2d in one pass over the batch, any of the three
     * null when not wanted (see {@link #backwardGemms}). {@code gradInput} must be zero-filled.
     */
    static void conv2dBackward(Tensor grad, Tensor x, Tensor w, Conv2dParams p, Tensor gradInput, Tensor gradWeight,
                               Tensor gradBias) {
        boolean empty = grad.numel() == 0 || gradInput != null && gradInput.numel() == 0
                || gradWeight != null && gradWeight.numel() == 0;
        if (grad.dtype() != DType.FLOAT64 && !empty) {
            backwardGemms(grad, x, w, p, gradInput, gradWeight, gradBias);
            return;
        }
        if (gradInput != null) conv2dBackwardInput(grad, w, p, gradInput);
        if (gradWeight != null) conv2dBackwardWeight(x, grad, p, gradWeight);
        if (gradBias != null) {
            // The sum over images and pixels, into gradBias viewed as [1, Cout, 1, 1].
            int cout = grad.size(1);
            Tensor keepDims = TensorAccess.make(gradBias.storage(), dev.ember.tensor.Shape.of(1, cout, 1, 1),
                    new int[] {cout, 1, 1, 1}, gradBias.offset());
            CpuReduce.reduce(ReduceOp.SUM, grad, new boolean[] {true, false, true, true}, keepDims);
        }
    }

    /**
     * The FLOAT32 backward loop shared by the kernels above: per chunk of images, the output gradient is
     * copied channel-major once; then {@code colT[K, P] = W^T x G} scattered back by col2im for the input
     * gradient, {@code W^T[K, Cout] += colT[K, P] x G^T} for the weight gradient, and the bias gradient is
     * summed from the same copy while it is in cache. Any output may be null; x and w are read only for
     * the gradients that need them (and for their shapes). Partial sums are per task, added in task order.
     */
    private static void backwardGemms(Tensor grad, Tensor x, Tensor w, Conv2dParams p, Tensor gradInput, Tensor gradWeight,
                                      Tensor gradBias) {
        ConvLayout g = ConvLayout.of(TensorAccess.dims(x), TensorAccess.dims(w), TensorAccess.dims(grad), p);
        grad = grad.contiguous();
        float[] ga = floats(grad);
        int gOff = grad.offset();
        Tensor xc = gradWeight == null ? null : x.contiguous();
        float[] xa = xc == null ? null : floats(xc);
        int xOff = xc == null ? 0 : xc.offset();
        Tensor wc = gradInput == null ? null : w.contiguous();
        float[] wT = wc == null ? null : g.transposedWeight(floats(wc), wc.offset());
        float[] gx = gradInput == null ? null : floats(gradInput);
        int gxOff = gradInput == null ? 0 : gradInput.offset();
        int chunk = g.imagesPerChunk(chunkFloats), kc = g.kc(), pix = g.pixels();
        // One weight partial per task (tasks are capped so these stay within ~16 MB).
        int tasks = taskCount(g.n, chunk, gradWeight == null ? Integer.MAX_VALUE : Math.max(1, (1 << 22) / (g.cout * kc)));
        float[][] weightPartial = new float[tasks][];
        double[][] biasPartial = new double[tasks][];
        forImageTasks(g.n, tasks, (t, n0, n1, par) -> {
            int nbMax = Math.min(chunk, n1 - n0);
            float[] acc = gradWeight == null ? null : new float[g.cout * kc]; // per group [kc, coutG]: the transposed weight layout
            double[] bsum = gradBias == null ? null : new double[g.cout];
            float[] gc = scratch(0, g.cout * nbMax * pix), col = scratch(1, kc * nbMax * pix);
            for (int c0 = n0; c0 < n1; c0 += chunk) {
                int nb = Math.min(chunk, n1 - c0), ld = nb * pix;
                g.toChannelMajor(ga, gOff + c0 * g.outImageSize(), nb, gc, ld);
                if (bsum != null) {
                    for (int co = 0; co < g.cout; co++) bsum[co] += Simd.FLOAT.sum(gc, co * ld, 1, ld);
                }
                for (int gi = 0; gi < g.groups; gi++) {
                    if (gx != null) {
                        // col[kc, images*pixels] = W_g^T[kc, coutG] x G_g[coutG, images*pixels], then scattered back.
                        Gemm.sgemm(false, false, kc, ld, g.coutG, wT, gi * g.coutG * kc, g.coutG, gc, gi * g.coutG * ld, ld,
                                col, 0, ld, false, par);
                        for (int q = 0; q < nb; q++) g.col2imRows(col, q * pix, ld, gi, gx, gxOff + (c0 + q) * g.imageSize());
                    }
                    if (acc != null) {
                        for (int q = 0; q < nb; q++) g.im2colRows(xa, xOff + (c0 + q) * g.imageSize(), gi, col, q * pix, ld);
                        // acc_g[kc, coutG] += col[kc, images*pixels] x G_g[coutG, images*pixels]^T
                        Gemm.sgemm(false, true, kc, g.coutG, ld, col, 0, ld, gc, gi * g.coutG * ld, ld,
                                acc, gi * g.coutG * kc, g.coutG, true, par);
                    }
                }
            }
            weightPartial[t] = acc;
            biasPartial[t] = bsum;
        });
        if (gradWeight != null) {
            float[] sum = weightPartial[0];
            for (int t = 1; t < tasks; t++) {
                float[] pt = weightPartial[t];
                for (int i = 0; i < sum.length; i++) sum[i] += pt[i];
            }
            g.untransposeWeight(sum, floats(gradWeight), gradWeight.offset());
        }
        if (gradBias != null) {
            float[] gb = floats(gradBias);
            for (int co = 0; co < g.cout; co++) {
                double sum = 0;
                for (double[] pt : biasPartial) sum += pt[co];
                gb[gradBias.offset() + co] = (float) sum;
            }
        }
    }

    /** A body over images [n0, n1), task {@code task}; {@code parallelGemm} is true when it is the only task. */
    @FunctionalInterface
    interface ImageTask {
        void run(int task, int n0, int n1, boolean parallelGemm);
    }

    /**
     * How many tasks to cut {@code images} into: one per chunk (at most {@code maxTasks}, at least one
     * per thread), or a single task whose GEMMs use the threads when there are fewer images than threads.
     */
    static int taskCount(int images, int chunk, int maxTasks) {
        int threads = Parallel.threads();
        if (threads == 1 || images < threads || Parallel.inWorker()) return 1;
        return Math.min(images, Math.max(threads, Math.min(maxTasks, Math.ceilDiv(images, chunk))));
    }

    /**
     * Runs {@code body} over {@code tasks} contiguous image ranges. Threads take the next task when
     * they finish one, so a thread that gets less CPU (a busy machine) does less of the work; which
     * thread runs a task never changes its result.
     */
    static void forImageTasks(int images, int tasks, ImageTask body) {
        if (tasks == 1) {
            body.run(0, 0, images, true);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Parallel.forEach(Math.min(Parallel.threads(), tasks), (w0, w1) -> {
            for (int t = next.getAndIncrement(); t < tasks; t = next.getAndIncrement()) {
                body.run(t, (int) ((long) images * t / tasks), (int) ((long) images * (t + 1) / tasks), false);
            }
        });
    }

    /**
     * Per-thread scratch arrays, kept between calls (a few MB per kernel thread), so big convolutions do not
     * churn the GC: slots 0-2 for a task's im2col work, slot 3 for the calling thread's permuted weight,
     * which the tasks only read (a fresh array each call was a visible part of batch-1 latency).
     */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[4][0]);

    /** Scratch slot {@code slot} of this thread with at least {@code size} floats; contents are arbitrary. */
    private static float[] scratch(int slot, int size) {
        float[][] s = SCRATCH.get();
        if (s[slot].length < size) s[slot] = new float[size];
        return s[slot];
    }

    static float[] floats(Tensor t) {
        return (float[]) CpuElementwise.data(t);
    }
}
