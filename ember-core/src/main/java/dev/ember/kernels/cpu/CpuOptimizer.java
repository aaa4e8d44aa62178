package dev.ember.kernels.cpu;

import dev.ember.kernels.OptimizerUpdate;
import dev.ember.kernels.OptimizerUpdate.Adagrad;
import dev.ember.kernels.OptimizerUpdate.Adam;
import dev.ember.kernels.OptimizerUpdate.Rmsprop;
import dev.ember.kernels.OptimizerUpdate.Sgd;
import dev.ember.tensor.HeapStorage;
import dev.ember.tensor.Tensor;

/**
 * Fused optimizer updates on the CPU: one pass over a parameter, its gradient and its state, split
 * across cores for large tensors. The formulas are those documented on each {@link OptimizerUpdate}
 * record. FLOAT32 runs in float arithmetic with the scalars rounded to float, exactly like PyTorch's
 * CPU kernels for {@code mul_}, {@code add_(alpha=...)}, {@code addcmul_} and {@code addcdiv_}, so
 * trajectories agree with PyTorch to float rounding; FLOAT64 runs in double.
 *
 * <p>All tensors must be contiguous with the parameter's length and dtype; {@link #step} checks
 * that before any loop runs. Options are loop-invariant branches inside the element loops, which
 * the JIT predicts perfectly.
 */
final class CpuOptimizer {
    /** Elements below which an update stays on the calling thread. */
    private static final int GRAIN = 1 << 15;
    /** The FLOAT32 loops: Vector API ones when the incubator module is present (see {@link Simd}). */
    private static final OptimizerFloatLoops FLOAT = chooseFloatLoops();

    private CpuOptimizer() {
    }

    static void step(OptimizerUpdate update, Tensor param, Tensor grad, Tensor[] state) {
        check(update, param, grad, state);
        Object p = array(param), g = array(grad);
        int n = param.numel();
        int po = param.offset(), go = grad.offset();
        Object[] s = new Object[state.length];
        int[] so = new int[state.length];
        for (int i = 0; i < state.length; i++) {
            s[i] = array(state[i]);
            so[i] = state[i].offset();
        }
        if (p instanceof float[] pf && g instanceof float[] gf) {
            float[][] sf = new float[s.length][];
            for (int i = 0; i < s.length; i++) sf[i] = (float[]) s[i];
            Parallel.forRange(n, GRAIN, (a, b) -> floats(update, pf, po, gf, go, sf, so, a, b));
        } else if (p instanceof double[] pd && g instanceof double[] gd) {
            double[][] sd = new double[s.length][];
            for (int i = 0; i < s.length; i++) sd[i] = (double[]) s[i];
            Parallel.forRange(n, GRAIN, (a, b) -> doubles(update, pd, po, gd, go, sd, so, a, b));
        } else {
            throw new IllegalArgumentException(update.name() + "Step: expected FLOAT32 or FLOAT64 parameter and gradient of "
                    + "the same dtype, got " + param.dtype().pyName() + " and " + grad.dtype().pyName());
        }
    }

    private static void check(OptimizerUpdate update, Tensor param, Tensor grad, Tensor[] state) {
        String op = update.name() + "Step";
        if (state.length != update.stateCount()) {
            throw new IllegalArgumentException(op + ": expected " + update.stateCount() + " state buffers, got " + state.length);
        }
        for (int i = -1; i < state.length; i++) {
            Tensor t = i < 0 ? grad : state[i];
            String what = i < 0 ? "gradient" : "state buffer " + i;
            if (!t.shape().equals(param.shape()) || t.dtype() != param.dtype()) {
                throw new IllegalArgumentException(op + ": " + what + " is " + t.dtype().pyName() + " " + t.shape() + " but the parameter is "
                        + param.dtype().pyName() + " " + param.shape());
            }
            if (!t.isContiguous()) throw new IllegalArgumentException(op + ": " + what + " must be contiguous");
        }
        if (!param.isContiguous()) throw new IllegalArgumentException(op + ": the parameter must be contiguous");
    }

    private static OptimizerFloatLoops chooseFloatLoops() {
        if (Simd.AVAILABLE && !Boolean.getBoolean("ember.noSimd")) {
            try {
                // Reflection keeps the vector classes unloaded when the module is absent, as in Simd.
                return (OptimizerFloatLoops) Class.forName("dev.ember.kernels.cpu.VectorOptimizerFloatLoops")
                        .getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                return new OptimizerFloatLoops();
            }
        }
        return new OptimizerFloatLoops();
    }

    private static Object array(Tensor t) {
        return ((HeapStorage) t.storage()).array();
    }

    // =================================================================== FLOAT32

    private static void floats(OptimizerUpdate u, float[] p, int po, float[] g, int go, float[][] s, int[] so, int a, int b) {
        switch (u) {
            case Sgd sgd -> FLOAT.sgd(sgd, p, po, g, go, s.length > 0 ? s[0] : null, s.length > 0 ? so[0] : 0, a, b);
            case Adam adam -> FLOAT.adam(adam, p, po, g, go, s[0], so[0], s[1], so[1], adam.amsgrad() ? s[2] : null,
                    adam.amsgrad() ? so[2] : 0, a, b);
            case Rmsprop r -> {
                boolean mom = r.momentum() > 0;
                int last = s.length - 1;
                FLOAT.rmsprop(r, p, po, g, go, s[0], so[0], mom ? s[1] : null, mom ? so[1] : 0,
                        r.centered() ? s[last] : null, r.centered() ? so[last] : 0, a, b);
            }
            case Adagrad ad -> FLOAT.adagrad(ad, p, po, g, go, s[0], so[0], a, b);
        }
    }

    // =================================================================== FLOAT64

    private static void doubles(OptimizerUpdate u, double[] p, int po, double[] g, int go, double[][] s, int[] so, int a, int b) {
        switch (u) {
            case Sgd sgd -> sgdD(sgd, p, po, g, go, s.length > 0 ? s[0] : null, s.length > 0 ? so[0] : 0, a, b);
            case Adam adam -> adamD(adam, p, po, g, go, s[0], so[0], s[1], so[1], adam.amsgrad() ? s[2] : null,
                    adam.amsgrad() ? so[2] : 0, a, b);
            case Rmsprop r -> rmspropD(r, p, po, g, go, s, so, a, b);
            case Adagrad ad -> adagradD(ad, p, po, g, go, s[0], so[0], a, b);
        }
    }

    private static void sgdD(Sgd u, double[] p, int po, double[] g, int go, double[] buf, int bo, int a, int b) {
        double negLr = -u.lr(), wd = u.weightDecay(), mom = u.momentum(), oneMinusDamp = 1 - u.dampening();
        boolean decay = wd != 0, useMomentum = mom != 0, max = u.maximize(), first = u.firstStep(), nesterov = u.nesterov();
        for (int i = a; i < b; i++) {
            double d = max ? -g[go + i] : g[go + i];
            if (decay) d = d + wd * p[po + i];
            if (useMomentum) {
                double v = first ? d : buf[bo + i] * mom + oneMinusDamp * d;
                buf[bo + i] = v;
                d = nesterov ? d + mom * v : v;
            }
            p[po + i] = p[po + i] + negLr * d;
        }
    }

    private static void adamD(Adam u, double[] p, int po, double[] g, int go, double[] m, int mo, double[] v, int vo,
                              double[] vmax, int xo, int a, int b) {
        double beta1 = u.beta1(), beta2 = u.beta2(), oneMinusBeta1 = 1 - beta1, oneMinusBeta2 = 1 - beta2;
        double eps = u.eps(), bc2 = u.biasCorrection2Sqrt(), negStep = -u.stepSize();
        double wd = u.weightDecay(), shrink = 1 - u.lr() * u.weightDecay();
        boolean coupledDecay = !u.decoupled() && wd != 0, decoupledDecay = u.decoupled();
        boolean max = u.maximize(), ams = u.amsgrad();
        for (int i = a; i < b; i++) {
            double pi = p[po + i];
            if (decoupledDecay) pi = pi * shrink;
            double gi = max ? -g[go + i] : g[go + i];
            if (coupledDecay) gi = gi + wd * pi;
            double mi = m[mo + i] * beta1 + oneMinusBeta1 * gi;
            double vi = v[vo + i] * beta2 + oneMinusBeta2 * gi * gi;
            m[mo + i] = mi;
            v[vo + i] = vi;
            if (ams) {
                vi = Math.max(vmax[xo + i], vi);
                vmax[xo + i] = vi;
            }
            double denom = Math.sqrt(vi) / bc2 + eps;
            p[po + i] = pi + negStep * mi / denom;
        }
    }

    private static void rmspropD(Rmsprop u, double[] p, int po, double[] g, int go, double[][] s, int[] so, int a, int b) {
        double alpha = u.alpha(), oneMinusAlpha = 1 - alpha, eps = u.eps(), wd = u.weightDecay(), mom = u.momentum();
        double negLr = -u.lr();
        boolean decay = wd != 0, useMomentum = mom > 0, centered = u.centered(), max = u.maximize();
        double[] sq = s[0];
        int sqo = so[0];
        double[] buf = useMomentum ? s[1] : null;
        int bo = useMomentum ? so[1] : 0;
        double[] ga = centered ? s[s.length - 1] : null;
        int gao = centered ? so[s.length - 1] : 0;
        for (int i = a; i < b; i++) {
            double gi = max ? -g[go + i] : g[go + i];
            if (decay) gi = gi + wd * p[po + i];
            double si = sq[sqo + i] * alpha + oneMinusAlpha * gi * gi;
            sq[sqo + i] = si;
            double avg;
            if (centered) {
                double ai = ga[gao + i] * alpha + oneMinusAlpha * gi;
                ga[gao + i] = ai;
                avg = Math.sqrt(si + -1.0 * ai * ai);
            } else {
                avg = Math.sqrt(si);
            }
            avg = avg + eps;
            if (useMomentum) {
                double bi = buf[bo + i] * mom + gi / avg;
                buf[bo + i] = bi;
                p[po + i] = p[po + i] + negLr * bi;
            } else {
                p[po + i] = p[po + i] + negLr * gi / avg;
            }
        }
    }

    private static void adagradD(Adagrad u, double[] p, int po, double[] g, int go, double[] sum, int so, int a, int b) {
        double negClr = -u.clr(), eps = u.eps(), wd = u.weightDecay();
        boolean decay = wd != 0, max = u.maximize();
        for (int i = a; i < b; i++) {
            double gi = max ? -g[go + i] : g[go + i];
            if (decay) gi = gi + wd * p[po + i];
            double si = sum[so + i] + gi * gi;
            sum[so + i] = si;
            p[po + i] = p[po + i] + negClr * gi / (Math.sqrt(si) + eps);
        }
    }
}
