package dev.ember.optim;

import dev.ember.autograd.Grad;
import dev.ember.tensor.DType;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;
import dev.ember.testing.Golden;
import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * The fused kernels against the same updates written with plain tensor ops (PyTorch's
 * single-tensor formulas, op by op), on tensors large enough to be split across threads and with
 * random options, so every branch of every kernel is compared with its composite definition.
 */
class FusedUpdateTest {
    private static final int N = 70_001; // above the kernels' parallel grain, and odd

    /** Composite Adam/AdamW step (PyTorch's _single_tensor_adam / _single_tensor_adamw). */
    private static void adamReference(Tensor p, Tensor g, Tensor m, Tensor v, Tensor vmax, double lr, double beta1, double beta2,
                                      double eps, double wd, boolean decoupled, boolean maximize, long t) {
        if (maximize) g = g.neg();
        if (decoupled) p.mulInPlace(1 - lr * wd);
        else if (wd != 0) g = g.add(p.mul(wd));
        m.mulInPlace(beta1).addInPlace(g.mul(1 - beta1));
        v.mulInPlace(beta2).addInPlace(g.mul(g).mul(1 - beta2));
        Tensor second = v;
        if (vmax != null) {
            vmax.copyFrom(vmax.maximum(v));
            second = vmax;
        }
        double stepSize = lr / (1 - Math.pow(beta1, t));
        Tensor denom = second.sqrt().div(Math.sqrt(1 - Math.pow(beta2, t))).add(eps);
        p.addInPlace(m.mul(-stepSize).div(denom));
    }

    /** Composite SGD step. */
    private static void sgdReference(Tensor p, Tensor g, Tensor buf, boolean first, double lr, double momentum, double dampening,
                                     double wd, boolean nesterov, boolean maximize) {
        if (maximize) g = g.neg();
        if (wd != 0) g = g.add(p.mul(wd));
        if (momentum != 0) {
            if (first) buf.copyFrom(g);
            else buf.mulInPlace(momentum).addInPlace(g.mul(1 - dampening));
            g = nesterov ? g.add(buf.mul(momentum)) : buf;
        }
        p.addInPlace(g.mul(-lr));
    }

    /** Composite RMSprop step. */
    private static void rmspropReference(Tensor p, Tensor g, Tensor sq, Tensor buf, Tensor ga, double lr, double alpha, double eps,
                                         double wd, double momentum, boolean centered, boolean maximize) {
        if (maximize) g = g.neg();
        if (wd != 0) g = g.add(p.mul(wd));
        sq.mulInPlace(alpha).addInPlace(g.mul(g).mul(1 - alpha));
        Tensor avg;
        if (centered) {
            ga.mulInPlace(alpha).addInPlace(g.mul(1 - alpha));
            avg = sq.sub(ga.mul(ga)).sqrt();
        } else {
            avg = sq.sqrt();
        }
        avg = avg.add(eps);
        if (momentum > 0) {
            buf.mulInPlace(momentum).addInPlace(g.div(avg));
            p.addInPlace(buf.mul(-lr));
        } else {
            p.addInPlace(g.mul(-lr).div(avg));
        }
    }

    /** Composite Adagrad step. */
    private static void adagradReference(Tensor p, Tensor g, Tensor sum, double lr, double lrDecay, double eps, double wd,
                                         boolean maximize, long t) {
        if (maximize) g = g.neg();
        if (wd != 0) g = g.add(p.mul(wd));
        double clr = lr / (1 + (t - 1) * lrDecay);
        sum.addInPlace(g.mul(g));
        p.addInPlace(g.mul(-clr).div(sum.sqrt().add(eps)));
    }

    private static Tensor randn(Generator gen, DType dtype) {
        return Tensor.randn(gen, Shape.of(N), dtype);
    }

    private static void check(Tensor want, Tensor got, DType dtype, String what) {
        Golden.assertClose(want, got, dtype == DType.FLOAT64 ? 1e-12 : 2e-5, dtype == DType.FLOAT64 ? 1e-14 : 1e-6, what);
    }

    @Test
    void fusedKernelsMatchTheirCompositeDefinitions() {
        Generator gen = new Generator(11);
        for (DType dtype : List.of(DType.FLOAT64, DType.FLOAT32)) {
            for (int trial = 0; trial < 8; trial++) {
                boolean maximize = gen.nextDouble() < 0.5, flag = gen.nextDouble() < 0.5;
                double wd = trial % 3 == 0 ? 0 : 0.05 * gen.nextDouble();
                double lr = 0.01 + 0.1 * gen.nextDouble();
                String what = dtype + " trial " + trial;
                Tensor init = randn(gen, dtype);
                Tensor[] grads = {randn(gen, dtype), randn(gen, dtype), randn(gen, dtype)};

                // Adam / AdamW (flag picks amsgrad).
                for (boolean decoupled : new boolean[] {false, true}) {
                    Tensor p = init.copy().requiresGrad(true), ref = init.copy();
                    var opt = decoupled
                            ? new AdamW(List.of(p), AdamW.options().lr(lr).weightDecay(wd).amsgrad(flag).maximize(maximize).eps(1e-3))
                            : new Adam(List.of(p), Adam.options().lr(lr).weightDecay(wd).amsgrad(flag).maximize(maximize).eps(1e-3));
                    Tensor m = init.zerosLike(), v = init.zerosLike(), vmax = flag ? init.zerosLike() : null;
                    for (int t = 1; t <= grads.length; t++) {
                        p.grad(grads[t - 1]);
                        opt.step();
                        try (var off = Grad.off()) {
                            adamReference(ref, grads[t - 1], m, v, vmax, lr, 0.9, 0.999, 1e-3, wd, decoupled, maximize, t);
                        }
                    }
                    check(ref, p.detach(), dtype, what + (decoupled ? " adamw" : " adam"));
                    check(v, opt.state(p).buffer("exp_avg_sq"), dtype, what + " exp_avg_sq");
                }

                // SGD (flag picks nesterov; otherwise dampening).
                {
                    Tensor p = init.copy().requiresGrad(true), ref = init.copy(), buf = init.zerosLike();
                    double damp = flag ? 0 : 0.2;
                    var opt = new SGD(List.of(p), SGD.options().lr(lr).momentum(0.9).dampening(damp).nesterov(flag).weightDecay(wd)
                            .maximize(maximize));
                    for (int t = 1; t <= grads.length; t++) {
                        p.grad(grads[t - 1]);
                        opt.step();
                        try (var off = Grad.off()) {
                            sgdReference(ref, grads[t - 1], buf, t == 1, lr, 0.9, damp, wd, flag, maximize);
                        }
                    }
                    check(ref, p.detach(), dtype, what + " sgd");
                }

                // RMSprop (flag picks centered; momentum on odd trials).
                {
                    double momentum = trial % 2 == 1 ? 0.7 : 0;
                    Tensor p = init.copy().requiresGrad(true), ref = init.copy();
                    Tensor sq = init.zerosLike(), buf = init.zerosLike(), ga = init.zerosLike();
                    var opt = new RMSprop(List.of(p), RMSprop.options().lr(lr).momentum(momentum).centered(flag).weightDecay(wd)
                            .maximize(maximize).eps(1e-4));
                    for (int t = 1; t <= grads.length; t++) {
                        p.grad(grads[t - 1]);
                        opt.step();
                        try (var off = Grad.off()) {
                            rmspropReference(ref, grads[t - 1], sq, buf, ga, lr, 0.99, 1e-4, wd, momentum, flag, maximize);
                        }
                    }
                    check(ref, p.detach(), dtype, what + " rmsprop");
                }

                // Adagrad.
                {
                    Tensor p = init.copy().requiresGrad(true), ref = init.copy(), sum = Tensor.full(init.shape(), 0.1, dtype);
                    var opt = new Adagrad(List.of(p), Adagrad.options().lr(lr).lrDecay(0.1).weightDecay(wd).maximize(maximize)
                            .initialAccumulatorValue(0.1));
                    for (int t = 1; t <= grads.length; t++) {
                        p.grad(grads[t - 1]);
                        opt.step();
                        try (var off = Grad.off()) {
                            adagradReference(ref, grads[t - 1], sum, lr, 0.1, 1e-10, wd, maximize, t);
                        }
                    }
                    check(ref, p.detach(), dtype, what + " adagrad");
                }
            }
        }
    }

    @Test
    void theBackendRejectsMismatchedBuffersWithAMessage() {
        var backend = dev.ember.kernels.Backends.get(dev.ember.tensor.Device.CPU);
        var adam = new dev.ember.kernels.OptimizerUpdate.Adam(0.1, 0.9, 0.999, 1e-8, 0, false, false, false, 1, 1);
        Tensor p = Tensor.zeros(4), g = Tensor.zeros(4);
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> backend.optimizerStep(adam, p, g, new Tensor[] {Tensor.zeros(4), Tensor.zeros(3)}));
        org.junit.jupiter.api.Assertions.assertEquals("adamStep: state buffer 1 is float32 [3] but the parameter is float32 [4]",
                e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> backend.optimizerStep(adam, p, g, new Tensor[] {Tensor.zeros(4)}));
        org.junit.jupiter.api.Assertions.assertEquals("adamStep: expected 2 state buffers, got 1", e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> backend.optimizerStep(adam, p, Tensor.zeros(Shape.of(4), DType.FLOAT64), new Tensor[] {Tensor.zeros(4), Tensor.zeros(4)}));
    }

    @Test
    void vectorLoopsAgreeBitwiseWithTheScalarLoops() {
        // A 37-element parameter runs through the SIMD loop (plus a scalar tail); 37 one-element
        // parameters run through the scalar loop only. Same float ops in the same order: same bits.
        Generator gen = new Generator(21);
        int n = 37;
        List<java.util.function.Function<List<Tensor>, Optimizer>> kinds = List.of(
                ps -> new SGD(ps, SGD.options().lr(0.1).momentum(0.9).nesterov(true).weightDecay(0.01).maximize(true)),
                ps -> new SGD(ps, SGD.options().lr(0.1).momentum(0.5).dampening(0.3)),
                ps -> new Adam(ps, Adam.options().lr(0.01).weightDecay(0.1).amsgrad(true)),
                ps -> new AdamW(ps, AdamW.options().lr(0.01).maximize(true)),
                ps -> new RMSprop(ps, RMSprop.options().lr(0.01).momentum(0.5).centered(true).weightDecay(0.1)),
                ps -> new RMSprop(ps, RMSprop.options().lr(0.01).maximize(true)),
                ps -> new Adagrad(ps, Adagrad.options().lr(0.1).weightDecay(0.2).initialAccumulatorValue(0.1)));
        for (var make : kinds) {
            float[] init = Tensor.randn(gen, Shape.of(n), DType.FLOAT32).toFloatArray();
            Tensor whole = Tensor.of(init).requiresGrad(true);
            List<Tensor> singles = new java.util.ArrayList<>();
            for (float v : init) singles.add(Tensor.of(new float[] {v}).requiresGrad(true));
            Optimizer a = make.apply(List.of(whole)), b = make.apply(singles);
            for (int step = 0; step < 3; step++) {
                float[] g = Tensor.randn(gen, Shape.of(n), DType.FLOAT32).toFloatArray();
                whole.grad(Tensor.of(g));
                for (int i = 0; i < n; i++) singles.get(i).grad(Tensor.of(new float[] {g[i]}));
                a.step();
                b.step();
            }
            float[] got = whole.toFloatArray();
            for (int i = 0; i < n; i++) {
                org.junit.jupiter.api.Assertions.assertEquals(Float.floatToIntBits(singles.get(i).toFloatArray()[0]),
                        Float.floatToIntBits(got[i]), a.name() + " element " + i);
            }
        }
    }

    /**
     * Bytes allocated on this thread per optimizer step once the JIT has compiled the step: rounds
     * of steps are measured until one comes in under {@code limit} (or 40 rounds pass). Until C2 has
     * compiled the Vector API loops, vector temporaries are real objects, so early rounds can
     * allocate a lot; how long that lasts depends on how busy the compiler threads are.
     */
    private static double steadyAllocationPerStep(Optimizer opt, double limit) {
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 40 && best >= limit; round++) {
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 25; i++) opt.step();
            best = Math.min(best, (mx.getCurrentThreadAllocatedBytes() - before) / 25.0);
        }
        return best;
    }

    @Test
    void aStepAllocatesOnlyBookkeepingNotTensors() {
        // The MLP 784-256-128-10's parameter shapes: 235,146 floats (940 KB) in six tensors.
        Generator gen = new Generator(5);
        int[][] shapes = {{256, 784}, {256}, {128, 256}, {128}, {10, 128}, {10}};
        List<Tensor> params = new java.util.ArrayList<>();
        for (int[] s : shapes) {
            Tensor p = Tensor.randn(gen, Shape.of(s), DType.FLOAT32).requiresGrad(true);
            p.grad(Tensor.randn(gen, Shape.of(s), DType.FLOAT32));
            params.add(p);
        }
        for (Optimizer opt : List.of(new SGD(params, 0.01, 0.9), new Adam(params, Adam.options().lr(1e-4).amsgrad(true)),
                new RMSprop(params, RMSprop.options().lr(1e-4).centered(true).momentum(0.5)), new Adagrad(params, 1e-4))) {
            double bytes = steadyAllocationPerStep(opt, 8 * 1024);
            System.out.printf(java.util.Locale.ROOT, "%s step allocates %.0f bytes%n", opt.name(), bytes);
            org.junit.jupiter.api.Assertions.assertTrue(bytes < 8 * 1024,
                    opt.name() + " allocated " + bytes + " bytes per step; a step should allocate no tensors");
        }
    }
}
