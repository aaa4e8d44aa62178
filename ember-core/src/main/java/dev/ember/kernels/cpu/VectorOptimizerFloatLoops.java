package dev.ember.kernels.cpu;

import dev.ember.kernels.OptimizerUpdate.Adagrad;
import dev.ember.kernels.OptimizerUpdate.Adam;
import dev.ember.kernels.OptimizerUpdate.Rmsprop;
import dev.ember.kernels.OptimizerUpdate.Sgd;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API versions of {@link OptimizerFloatLoops}: the same float operations in the same order,
 * {@code L} lanes at a time, with the remainder done by the plain loops. The per-element work
 * (a square root and two divisions for Adam) would otherwise make the update compute bound.
 * Loaded only by reflection from {@link CpuOptimizer} when {@code jdk.incubator.vector} is present.
 */
final class VectorOptimizerFloatLoops extends OptimizerFloatLoops {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private static FloatVector load(float[] a, int offset) {
        return FloatVector.fromArray(S, a, offset);
    }

    @Override
    void sgd(Sgd u, float[] p, int po, float[] g, int go, float[] buf, int bo, int a, int b) {
        float negLr = (float) -u.lr(), wd = (float) u.weightDecay(), mom = (float) u.momentum();
        float oneMinusDamp = (float) (1 - u.dampening());
        boolean decay = u.weightDecay() != 0, useMomentum = u.momentum() != 0, max = u.maximize();
        boolean first = u.firstStep(), nesterov = u.nesterov();
        int i = a;
        for (; i <= b - L; i += L) {
            FloatVector pv = load(p, po + i);
            FloatVector d = load(g, go + i);
            if (max) d = d.neg();
            if (decay) d = d.add(pv.mul(wd));
            if (useMomentum) {
                FloatVector v = first ? d : load(buf, bo + i).mul(mom).add(d.mul(oneMinusDamp));
                v.intoArray(buf, bo + i);
                d = nesterov ? d.add(v.mul(mom)) : v;
            }
            pv.add(d.mul(negLr)).intoArray(p, po + i);
        }
        super.sgd(u, p, po, g, go, buf, bo, i, b);
    }

    @Override
    void adam(Adam u, float[] p, int po, float[] g, int go, float[] m, int mo, float[] v, int vo,
              float[] vmax, int xo, int a, int b) {
        float beta1 = (float) u.beta1(), beta2 = (float) u.beta2();
        float oneMinusBeta1 = (float) (1 - u.beta1()), oneMinusBeta2 = (float) (1 - u.beta2());
        float eps = (float) u.eps(), bc2 = (float) u.biasCorrection2Sqrt(), negStep = (float) -u.stepSize();
        float wd = (float) u.weightDecay(), shrink = (float) (1 - u.lr() * u.weightDecay());
        boolean coupledDecay = !u.decoupled() && u.weightDecay() != 0, decoupledDecay = u.decoupled();
        boolean max = u.maximize(), ams = u.amsgrad();
        int i = a;
        for (; i <= b - L; i += L) {
            FloatVector pv = load(p, po + i);
            if (decoupledDecay) pv = pv.mul(shrink);
            FloatVector gv = load(g, go + i);
            if (max) gv = gv.neg();
            if (coupledDecay) gv = gv.add(pv.mul(wd));
            FloatVector mv = load(m, mo + i).mul(beta1).add(gv.mul(oneMinusBeta1));
            FloatVector vv = load(v, vo + i).mul(beta2).add(gv.mul(oneMinusBeta2).mul(gv));
            mv.intoArray(m, mo + i);
            vv.intoArray(v, vo + i);
            if (ams) {
                vv = load(vmax, xo + i).max(vv);
                vv.intoArray(vmax, xo + i);
            }
            FloatVector denom = vv.sqrt().div(bc2).add(eps);
            pv.add(mv.mul(negStep).div(denom)).intoArray(p, po + i);
        }
        super.adam(u, p, po, g, go, m, mo, v, vo, vmax, xo, i, b);
    }

    @Override
    void rmsprop(Rmsprop u, float[] p, int po, float[] g, int go, float[] sq, int sqo, float[] buf, int bo, float[] ga, int gao,
                 int a, int b) {
        float alpha = (float) u.alpha(), oneMinusAlpha = (float) (1 - u.alpha()), eps = (float) u.eps();
        float wd = (float) u.weightDecay(), mom = (float) u.momentum(), negLr = (float) -u.lr();
        boolean decay = u.weightDecay() != 0, useMomentum = u.momentum() > 0, centered = u.centered(), max = u.maximize();
        int i = a;
        for (; i <= b - L; i += L) {
            FloatVector pv = load(p, po + i);
            FloatVector gv = load(g, go + i);
            if (max) gv = gv.neg();
            if (decay) gv = gv.add(pv.mul(wd));
            FloatVector sv = load(sq, sqo + i).mul(alpha).add(gv.mul(oneMinusAlpha).mul(gv));
            sv.intoArray(sq, sqo + i);
            FloatVector avg;
            if (centered) {
                FloatVector av = load(ga, gao + i).mul(alpha).add(gv.mul(oneMinusAlpha));
                av.intoArray(ga, gao + i);
                avg = sv.add(av.mul(-1f).mul(av)).sqrt();
            } else {
                avg = sv.sqrt();
            }
            avg = avg.add(eps);
            if (useMomentum) {
                FloatVector bv = load(buf, bo + i).mul(mom).add(gv.div(avg));
                bv.intoArray(buf, bo + i);
                pv.add(bv.mul(negLr)).intoArray(p, po + i);
            } else {
                pv.add(gv.mul(negLr).div(avg)).intoArray(p, po + i);
            }
        }
        super.rmsprop(u, p, po, g, go, sq, sqo, buf, bo, ga, gao, i, b);
    }

    @Override
    void adagrad(Adagrad u, float[] p, int po, float[] g, int go, float[] sum, int so, int a, int b) {
        float negClr = (float) -u.clr(), eps = (float) u.eps(), wd = (float) u.weightDecay();
        boolean decay = u.weightDecay() != 0, max = u.maximize();
        int i = a;
        for (; i <= b - L; i += L) {
            FloatVector pv = load(p, po + i);
            FloatVector gv = load(g, go + i);
            if (max) gv = gv.neg();
            if (decay) gv = gv.add(pv.mul(wd));
            FloatVector sv = load(sum, so + i).add(gv.mul(gv));
            sv.intoArray(sum, so + i);
            pv.add(gv.mul(negClr).div(sv.sqrt().add(eps))).intoArray(p, po + i);
        }
        super.adagrad(u, p, po, g, go, sum, so, i, b);
    }
}
