package dev.ember.kernels.cpu;

import dev.ember.kernels.Conv2dParams;
import dev.ember.tensor.Tensor;
import dev.ember.tensor.TensorAccess;

/**
 * FLOAT64 convolution as the defining sums, loop for loop (see {@link dev.ember.kernels.Backend#conv2d}).
 * Used for gradient checks, where clarity matters more than speed; also an independent reference
 * for the FLOAT32 im2col path in tests.
 */
final class CpuConvDirect {
    private CpuConvDirect() {
    }

    /** Shapes of one call: input [n, c, h, w], weight [cout, cg, kh, kw], output [n, cout, ho, wo]. */
    private record Dims(int n, int c, int h, int w, int cout, int cg, int kh, int kw, int ho, int wo, int groups) {
        static Dims of(Tensor x, Tensor wt, Tensor out, Conv2dParams p) {
            int[] xd = TensorAccess.dims(x), wd = TensorAccess.dims(wt), od = TensorAccess.dims(out);
            return new Dims(xd[0], xd[1], xd[2], xd[3], wd[0], wd[1], wd[2], wd[3], od[2], od[3], p.groups());
        }

        int coutG() {
            return cout / groups;
        }
    }

    private static double[] doubles(Tensor t) {
        return (double[]) CpuElementwise.data(t);
    }

    static void conv2d(Tensor x, Tensor wt, Tensor bias, Conv2dParams p, Tensor out) {
        x = x.contiguous();
        wt = wt.contiguous();
        Dims d = Dims.of(x, wt, out, p);
        double[] xa = doubles(x), wa = doubles(wt), oa = doubles(out);
        double[] ba = bias == null ? null : bias.contiguous().toDoubleArray();
        int xo = x.offset(), wo0 = wt.offset(), oo = out.offset();
        Parallel.forRange(d.n * d.cout, 1, (s, e) -> {
            for (int nc = s; nc < e; nc++) {
                int n = nc / d.cout, co = nc % d.cout, g = co / d.coutG();
                for (int oh = 0; oh < d.ho; oh++) {
                    for (int ow = 0; ow < d.wo; ow++) {
                        double sum = ba == null ? 0 : ba[co];
                        for (int ci = 0; ci < d.cg; ci++) {
                            int xPlane = xo + (n * d.c + g * d.cg + ci) * d.h * d.w;
                            int wBase = wo0 + (co * d.cg + ci) * d.kh * d.kw;
                            for (int i = 0; i < d.kh; i++) {
                                int ih = oh * p.strideH() - p.padH() + i * p.dilationH();
                                if (ih < 0 || ih >= d.h) continue;
                                for (int j = 0; j < d.kw; j++) {
                                    int iw = ow * p.strideW() - p.padW() + j * p.dilationW();
                                    if (iw < 0 || iw >= d.w) continue;
                                    sum += xa[xPlane + ih * d.w + iw] * wa[wBase + i * d.kw + j];
                                }
                            }
                        }
                        oa[oo + ((n * d.cout + co) * d.ho + oh) * d.wo + ow] = sum;
                    }
                }
            }
        });
    }

    static void backwardInput(Tensor grad, Tensor wt, Conv2dParams p, Tensor gradInput) {
        grad = grad.contiguous();
        wt = wt.contiguous();
        Dims d = Dims.of(gradInput, wt, grad, p);
        double[] ga = doubles(grad), wa = doubles(wt), gx = doubles(gradInput);
        int go = grad.offset(), wo0 = wt.offset(), xo = gradInput.offset();
        // Parallel over (image, input channel): each task owns the gradient planes it writes.
        Parallel.forRange(d.n * d.c, 1, (s, e) -> {
            for (int nc = s; nc < e; nc++) {
                int n = nc / d.c, ch = nc % d.c, g = ch / d.cg, ci = ch % d.cg;
                int xPlane = xo + (n * d.c + ch) * d.h * d.w;
                for (int col = 0; col < d.coutG(); col++) {
                    int co = g * d.coutG() + col;
                    int gPlane = go + (n * d.cout + co) * d.ho * d.wo;
                    int wBase = wo0 + (co * d.cg + ci) * d.kh * d.kw;
                    for (int oh = 0; oh < d.ho; oh++) {
                        for (int ow = 0; ow < d.wo; ow++) {
                            double gv = ga[gPlane + oh * d.wo + ow];
                            for (int i = 0; i < d.kh; i++) {
                                int ih = oh * p.strideH() - p.padH() + i * p.dilationH();
                                if (ih < 0 || ih >= d.h) continue;
                                for (int j = 0; j < d.kw; j++) {
                                    int iw = ow * p.strideW() - p.padW() + j * p.dilationW();
                                    if (iw < 0 || iw >= d.w) continue;
                                    gx[xPlane + ih * d.w + iw] += gv * wa[wBase + i * d.kw + j];
                                }
                            }
                        }
                    }
                }
            }
        });
    }

    static void backwardWeight(Tensor x, Tensor grad, Conv2dParams p, Tensor gradWeight) {
        x = x.contiguous();
        grad = grad.contiguous();
        Dims d = Dims.of(x, gradWeight, grad, p);
        double[] xa = doubles(x), ga = doubles(grad), gw = doubles(gradWeight);
        int xo = x.offset(), go = grad.offset(), wo0 = gradWeight.offset();
        Parallel.forRange(d.cout * d.cg, 1, (s, e) -> {
            for (int cc = s; cc < e; cc++) {
                int co = cc / d.cg, ci = cc % d.cg, g = co / d.coutG();
                for (int i = 0; i < d.kh; i++) {
                    for (int j = 0; j < d.kw; j++) {
                        double sum = 0;
                        for (int n = 0; n < d.n; n++) {
                            int xPlane = xo + (n * d.c + g * d.cg + ci) * d.h * d.w;
                            int gPlane = go + (n * d.cout + co) * d.ho * d.wo;
                            for (int oh = 0; oh < d.ho; oh++) {
                                int ih = oh * p.strideH() - p.padH() + i * p.dilationH();
                                if (ih < 0 || ih >= d.h) continue;
                                for (int ow = 0; ow < d.wo; ow++) {
                                    int iw = ow * p.strideW() - p.padW() + j * p.dilationW();
                                    if (iw < 0 || iw >= d.w) continue;
                                    sum += ga[gPlane + oh * d.wo + ow] * xa[xPlane + ih * d.w + iw];
                                }
                            }
                        }
                        gw[wo0 + (cc * d.kh + i) * d.kw + j] = sum;
                    }
                }
            }
        });
    }
}
