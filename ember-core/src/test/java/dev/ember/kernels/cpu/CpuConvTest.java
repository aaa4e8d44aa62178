package dev.ember.kernels.cpu;

import dev.ember.kernels.Conv2dParams;
import dev.ember.tensor.DType;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The FLOAT32 im2col + GEMM convolution kernels against the FLOAT64 direct loops, over seeded random
 * geometries: strides, padding (also padding wider than the kernel), dilation, groups, 1x1 kernels,
 * inputs the windows do not reach, input-gradient planes larger than the conv needs (transposed
 * convolution with output padding), one image per chunk, and fewer images than threads; the forward in each
 * of its three forms.
 */
class CpuConvTest {
    private final int savedChunk = CpuConv.chunkFloats;
    private final int savedChannelMajorMaxK = CpuConv.channelMajorMaxK;
    private final int savedChannelMajorMaxImages = CpuConv.channelMajorMaxImages;
    private final boolean savedFused = CpuConv.fusedForward;

    @AfterEach
    void restore() {
        CpuConv.chunkFloats = savedChunk;
        CpuConv.channelMajorMaxK = savedChannelMajorMaxK;
        CpuConv.channelMajorMaxImages = savedChannelMajorMaxImages;
        CpuConv.fusedForward = savedFused;
    }

    @Test
    void float32MatchesFloat64ReferenceOnRandomGeometries() {
        Generator g = new Generator(20240611);
        for (int trial = 0; trial < 300; trial++) {
            CpuConv.chunkFloats = trial % 3 == 0 ? 1 : 1 << 19; // every third trial: one image per chunk
            // Every forward form for every kind of geometry: pixel-major (im2col rows), channel-major (small K)
            // and the fused one (panels gathered from the image; with the Vector API and as many images as threads).
            CpuConv.fusedForward = trial % 6 >= 4;
            CpuConv.channelMajorMaxK = trial % 6 < 2 ? 0 : Integer.MAX_VALUE;
            CpuConv.channelMajorMaxImages = CpuConv.channelMajorMaxK;
            int groups = 1 + g.nextInt(3);
            int cg = 1 + g.nextInt(3), coutG = 1 + g.nextInt(4);
            int kh = 1 + g.nextInt(3), kw = 1 + g.nextInt(3);
            Conv2dParams random = new Conv2dParams(1 + g.nextInt(3), 1 + g.nextInt(3), g.nextInt(4), g.nextInt(3),
                    1 + g.nextInt(2), 1 + g.nextInt(2), groups);
            Conv2dParams p = trial % 5 == 0 ? new Conv2dParams(1, 1, 0, 0, 1, 1, groups) : random; // also the 1x1 / unpadded paths
            int n = 1 + g.nextInt(4);
            int h = (kh - 1) * p.dilationH() + 1 + g.nextInt(6), w = (kw - 1) * p.dilationW() + 1 + g.nextInt(6);
            int ho = Conv2dParams.outputSize(h, kh, p.strideH(), p.padH(), p.dilationH());
            int wo = Conv2dParams.outputSize(w, kw, p.strideW(), p.padW(), p.dilationW());
            String what = String.format(Locale.ROOT, "trial %d: x [%d, %d, %d, %d], w [%d, %d, %d, %d], %s", trial, n,
                    cg * groups, h, w, coutG * groups, cg, kh, kw, p);
            Tensor x = Tensor.randn(g, Shape.of(n, cg * groups, h, w), DType.FLOAT64);
            Tensor wt = Tensor.randn(g, Shape.of(coutG * groups, cg, kh, kw), DType.FLOAT64);
            Tensor b = Tensor.randn(g, Shape.of(coutG * groups), DType.FLOAT64);
            Tensor gy = Tensor.randn(g, Shape.of(n, coutG * groups, ho, wo), DType.FLOAT64);

            Shape y = Shape.of(n, coutG * groups, ho, wo);
            boolean withBias = trial % 2 == 0;
            compare(what + " forward", y, (out, dt) -> CpuBackend.INSTANCE.conv2d(x.to(dt), wt.to(dt), withBias ? b.to(dt) : null, p, out));
            // An input-gradient plane up to 2 rows/cols larger than the conv reads: those get zero.
            int extraH = g.nextInt(3), extraW = g.nextInt(3);
            compare(what + " input gradient", Shape.of(n, cg * groups, h + extraH, w + extraW),
                    (out, dt) -> CpuBackend.INSTANCE.conv2dBackwardInput(gy.to(dt), wt.to(dt), p, out));
            compare(what + " weight gradient", wt.shape(),
                    (out, dt) -> CpuBackend.INSTANCE.conv2dBackwardWeight(x.to(dt), gy.to(dt), p, out));
            // The fused backward, with every subset of its outputs that includes the input or the weight gradient.
            boolean wantInput = trial % 3 != 1, wantWeight = trial % 3 != 2, wantBias = trial % 4 != 3;
            Tensor[] ref = fusedBackward(gy, x, wt, p, DType.FLOAT64, wantInput, wantWeight, wantBias);
            Tensor[] fast = fusedBackward(gy, x, wt, p, DType.FLOAT32, wantInput, wantWeight, wantBias);
            String[] names = {" fused input gradient", " fused weight gradient", " fused bias gradient"};
            for (int i = 0; i < 3; i++) {
                if (ref[i] != null) assertClose(what + names[i], ref[i], fast[i]);
            }
        }
    }

    @Test
    void fusedBackwardOfAnEmptyBatchWritesZeroGradients() {
        Generator g = new Generator(3);
        Tensor x = Tensor.randn(g, Shape.of(0, 2, 5, 5), DType.FLOAT64), wt = Tensor.randn(g, Shape.of(3, 2, 3, 3), DType.FLOAT64);
        Tensor gy = Tensor.randn(g, Shape.of(0, 3, 5, 5), DType.FLOAT64);
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor[] r = fusedBackward(gy, x, wt, new Conv2dParams(1, 1, 1, 1, 1, 1, 1), dt, true, true, true);
            for (int i = 1; i < 3; i++) {
                for (double v : r[i].toDoubleArray()) assertTrue(v == 0.0, dt + " gradient " + i + " of an empty batch: " + v);
            }
        }
    }

    private static Tensor[] fusedBackward(Tensor gy, Tensor x, Tensor wt, Conv2dParams p, DType dt, boolean input,
                                          boolean weight, boolean bias) {
        Tensor gx = input ? Tensor.empty(x.shape(), dt, dev.ember.tensor.Device.CPU) : null;
        Tensor gw = weight ? Tensor.full(wt.shape(), Double.NaN, dt) : null; // must be overwritten in full
        Tensor gb = bias ? Tensor.full(Shape.of(wt.size(0)), Double.NaN, dt) : null;
        CpuBackend.INSTANCE.conv2dBackward(gy.to(dt), x.to(dt), wt.to(dt), p, gx, gw, gb);
        return new Tensor[] {gx, gw, gb};
    }

    private static void assertClose(String what, Tensor ref, Tensor fast) {
        double[] r = ref.toDoubleArray(), f = fast.toDoubleArray();
        for (int i = 0; i < r.length; i++) {
            double tol = 1e-4 * (1 + Math.abs(r[i]));
            assertTrue(Math.abs(r[i] - f[i]) <= tol, what + ": element " + i + " of " + ref.shape() + ": float64 " + r[i]
                    + " vs float32 " + f[i]);
        }
    }

    private interface Kernel {
        void run(Tensor out, DType dtype);
    }

    private static void compare(String what, Shape shape, Kernel k) {
        Tensor ref = Tensor.empty(shape, DType.FLOAT64, dev.ember.tensor.Device.CPU);
        Tensor fast = Tensor.empty(shape, DType.FLOAT32, dev.ember.tensor.Device.CPU);
        k.run(ref, DType.FLOAT64);
        k.run(fast, DType.FLOAT32);
        assertClose(what, ref, fast);
    }
}
