package dev.ember.kernels.cpu;

import dev.ember.kernels.OptimizerUpdate.Adagrad;
import dev.ember.kernels.OptimizerUpdate.Adam;
import dev.ember.kernels.OptimizerUpdate.Rmsprop;
import dev.ember.kernels.OptimizerUpdate.Sgd;

/**
 * Plain-Java FLOAT32 optimizer loops over the index range [a, b) (the fallback without the Vector
 * API, and the tail of the vector loops). Float arithmetic with the scalars rounded to float, in
 * the order of PyTorch's ops; the formulas are documented on {@link dev.ember.kernels.OptimizerUpdate}.
 * Null buffers are those the update does not use.
 */
class OptimizerFloatLoops {
    void sgd(Sgd u, float[] p, int po, float[] g, int go, float[] buf, int bo, int a, int b) {
        float negLr = (float) -u.lr(), wd = (float) u.weightDecay(), mom = (float) u.momentum();
        float oneMinusDamp = (float) (1 - u.dampening());
        boolean decay = u.weightDecay() != 0, useMomentum = u.momentum() != 0, max = u.maximize();
        boolean first = u.firstStep(), nesterov = u.nesterov();
        for (int i = a; i < b; i++) {
            float d = max ? -g[go + i] : g[go + i];
            if (decay) d = d + wd * p[po + i];
            if (useMomentum) {
                float v = first ? d : buf[bo + i] * mom + oneMinusDamp * d;
                buf[bo + i] = v;
                d = nesterov ? d + mom * v : v;
            }
            p[po + i] = p[po + i] + negLr * d;
        }
    }

    void adam(Adam u, float[] p, int po, float[] g, int go, float[] m, int mo, float[] v, int vo,
              float[] vmax, int xo, int a, int b) {
        float beta1 = (float) u.beta1(), beta2 = (float) u.beta2();
        float oneMinusBeta1 = (float) (1 - u.beta1()), oneMinusBeta2 = (float) (1 - u.beta2());
        float eps = (float) u.eps(), bc2 = (float) u.biasCorrection2Sqrt(), negStep = (float) -u.stepSize();
        float wd = (float) u.weightDecay(), shrink = (float) (1 - u.lr() * u.weightDecay());
        boolean coupledDecay = !u.decoupled() && u.weightDecay() != 0, decoupledDecay = u.decoupled();
        boolean max = u.maximize(), ams = u.amsgrad();
        for (int i = a; i < b; i++) {
            float pi = p[po + i];
            if (decoupledDecay) pi = pi * shrink;
            float gi = max ? -g[go + i] : g[go + i];
            if (coupledDecay) gi = gi + wd * pi;
            float mi = m[mo + i] * beta1 + oneMinusBeta1 * gi;
            float vi = v[vo + i] * beta2 + oneMinusBeta2 * gi * gi;
            m[mo + i] = mi;
            v[vo + i] = vi;
            if (ams) {
                vi = Math.max(vmax[xo + i], vi);
                vmax[xo + i] = vi;
            }
            float denom = (float) Math.sqrt(vi) / bc2 + eps;
            p[po + i] = pi + negStep * mi / denom;
        }
    }

    void rmsprop(Rmsprop u, float[] p, int po, float[] g, int go, float[] sq, int sqo, float[] buf, int bo, float[] ga, int gao,
                 int a, int b) {
        float alpha = (float) u.alpha(), oneMinusAlpha = (float) (1 - u.alpha()), eps = (float) u.eps();
        float wd = (float) u.weightDecay(), mom = (float) u.momentum(), negLr = (float) -u.lr();
        boolean decay = u.weightDecay() != 0, useMomentum = u.momentum() > 0, centered = u.centered(), max = u.maximize();
        for (int i = a; i < b; i++) {
            float gi = max ? -g[go + i] : g[go + i];
            if (decay) gi = gi + wd * p[po + i];
            float si = sq[sqo + i] * alpha + oneMinusAlpha * gi * gi;
            sq[sqo + i] = si;
            float avg;
            if (centered) {
                float ai = ga[gao + i] * alpha + oneMinusAlpha * gi;
                ga[gao + i] = ai;
                avg = (float) Math.sqrt(si + -1f * ai * ai);
            } else {
                avg = (float) Math.sqrt(si);
            }
            avg = avg + eps;
            if (useMomentum) {
                float bi = buf[bo + i] * mom + gi / avg;
                buf[bo + i] = bi;
                p[po + i] = p[po + i] + negLr * bi;
            } else {
                p[po + i] = p[po + i] + negLr * gi / avg;
            }
        }
    }

    void adagrad(Adagrad u, float[] p, int po, float[] g, int go, float[] sum, int so, int a, int b) {
        float negClr = (float) -u.clr(), eps = (float) u.eps(), wd = (float) u.weightDecay();
        boolean decay = u.weightDecay() != 0, max = u.maximize();
        for (int i = a; i < b; i++) {
            float gi = max ? -g[go + i] : g[go + i];
            if (decay) gi = gi + wd * p[po + i];
            float si = sum[so + i] + gi * gi;
            sum[so + i] = si;
            p[po + i] = p[po + i] + negClr * gi / ((float) Math.sqrt(si) + eps);
        }
    }
}
