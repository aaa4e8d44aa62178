package dev.ember.autograd;

import dev.ember.tensor.DType;
import dev.ember.tensor.Generator;
import dev.ember.tensor.HeapStorage;
import dev.ember.tensor.Tensor;
import dev.ember.tensor.TensorAccess;

import java.util.Locale;
import java.util.function.Function;

/**
 * Checks analytic gradients against central finite differences in float64 (PyTorch's
 * {@code gradcheck}). The function's output is projected onto a fixed random direction so that one
 * backward pass checks the full Jacobian-vector product.
 *
 * <pre>{@code
 * Tensor x = Tensor.randn(gen, Shape.of(3, 4), DType.FLOAT64).requiresGrad(true);
 * GradCheck.Result r = GradCheck.check(in -> in[0].tanh().mul(in[0]), x);
 * assert r.passed() : r.message();
 * }</pre>
 */
public final class GradCheck {
    /** Options: step size and tolerances (|analytic - numeric| <= atol + rtol * |numeric|). */
    public record Options(double eps, double atol, double rtol, long seed) {
        /** PyTorch's defaults: eps 1e-6, atol 1e-5, rtol 1e-3. */
        public static final Options DEFAULT = new Options(1e-6, 1e-5, 1e-3, 42);
    }

    /** Outcome, with the worst element found. */
    public record Result(boolean passed, double maxAbsError, String message) {
    }

    private GradCheck() {
    }

    /** Checks first derivatives with default options. */
    public static Result check(Function<Tensor[], Tensor> f, Tensor... inputs) {
        return check(f, Options.DEFAULT, inputs);
    }

    /**
     * Checks first derivatives of {@code f} with respect to every input that requires grad. Inputs
     * must be FLOAT64 leaves with non-overlapping memory.
     */
    public static Result check(Function<Tensor[], Tensor> f, Options opt, Tensor... inputs) {
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = inputs[i];
            if (t.requiresGrad() && (t.dtype() != DType.FLOAT64 || !t.isLeaf())) {
                throw new IllegalArgumentException("GradCheck: input " + i + " must be a float64 leaf tensor (got "
                        + t.dtype().pyName() + (t.isLeaf() ? "" : ", non-leaf") + "); finite differences need double precision");
            }
        }
        // Evaluations run with recording on: f may itself take gradients (see checkSecondOrder).
        Tensor probe = f.apply(inputs);
        Tensor v = Tensor.randn(new Generator(opt.seed), probe.shape(), probe.dtype().isFloating() ? probe.dtype() : DType.FLOAT64);
        Function<Tensor[], Tensor> scalar = in -> f.apply(in).mul(v).sum();

        int n = 0;
        for (Tensor t : inputs) if (t.requiresGrad()) n++;
        Tensor[] diffIn = new Tensor[n];
        for (int i = 0, j = 0; i < inputs.length; i++) if (inputs[i].requiresGrad()) diffIn[j++] = inputs[i];
        Tensor out = scalar.apply(inputs);
        // An output with no history (e.g. the gradient of a linear function) has zero derivatives.
        Tensor[] analytic = out.requiresGrad()
                ? Grad.of(new Tensor[] {out}, null, diffIn, false, false, true)
                : new Tensor[n];

        double worst = 0;
        String worstMsg = null;
        for (int j = 0; j < n; j++) {
            Tensor x = diffIn[j];
            double[] an = analytic[j] == null ? new double[x.numel()] : analytic[j].toDoubleArray();
            double[] num = numeric(scalar, inputs, x, opt.eps);
            for (int e = 0; e < num.length; e++) {
                double err = Math.abs(an[e] - num[e]);
                double tol = opt.atol + opt.rtol * Math.abs(num[e]);
                if (!(err <= tol) && (worstMsg == null || err > worst)) {
                    worst = err;
                    worstMsg = String.format(Locale.ROOT,
                            "GradCheck: input %d (shape %s) element %d: analytic %.8g vs numeric %.8g (|diff| %.3g > tol %.3g)",
                            indexOf(inputs, x), x.shape(), e, an[e], num[e], err, tol);
                }
                if (worstMsg == null) worst = Math.max(worst, err);
            }
        }
        return worstMsg == null ? new Result(true, worst, "ok") : new Result(false, worst, worstMsg);
    }

    /**
     * Checks second derivatives: the gradient of {@code f} (built with createGraph) must itself pass
     * {@link #check}.
     */
    public static Result checkSecondOrder(Function<Tensor[], Tensor> f, Options opt, Tensor... inputs) {
        Tensor probe = f.apply(inputs);
        Tensor v = Tensor.randn(new Generator(opt.seed + 1), probe.shape(), DType.FLOAT64);
        Function<Tensor[], Tensor> gradNorm = in -> {
            Tensor y = f.apply(in).mul(v).sum();
            int n = 0;
            for (Tensor t : in) if (t.requiresGrad()) n++;
            Tensor[] d = new Tensor[n];
            for (int i = 0, j = 0; i < in.length; i++) if (in[i].requiresGrad()) d[j++] = in[i];
            Tensor[] gs = Grad.of(new Tensor[] {y}, null, d, true, true, true);
            Tensor acc = null;
            for (int i = 0; i < gs.length; i++) {
                if (gs[i] == null) continue;
                Tensor w = Tensor.randn(new Generator(opt.seed + 7 + i), gs[i].shape(), DType.FLOAT64);
                Tensor term = gs[i].mul(w).sum();
                acc = acc == null ? term : acc.add(term);
            }
            if (acc == null) throw new IllegalStateException("GradCheck: no input received a gradient");
            return acc;
        };
        return check(gradNorm, opt, inputs);
    }

    private static int indexOf(Tensor[] all, Tensor x) {
        for (int i = 0; i < all.length; i++) if (all[i] == x) return i;
        return -1;
    }

    private static double[] numeric(Function<Tensor[], Tensor> scalar, Tensor[] inputs, Tensor x, double eps) {
        double[] g = new double[x.numel()];
        double[] data = ((HeapStorage) x.storage()).doubles();
        int[] dims = TensorAccess.dims(x), st = TensorAccess.strides(x);
        int[] idx = new int[dims.length];
        {
            for (int e = 0; e < g.length; e++) {
                int p = x.offset();
                for (int d = 0; d < dims.length; d++) p += idx[d] * st[d];
                double orig = data[p];
                data[p] = orig + eps;
                double plus = scalar.apply(inputs).item();
                data[p] = orig - eps;
                double minus = scalar.apply(inputs).item();
                data[p] = orig;
                g[e] = (plus - minus) / (2 * eps);
                for (int d = dims.length - 1; d >= 0; d--) {
                    if (++idx[d] < dims[d]) break;
                    idx[d] = 0;
                }
            }
        }
        return g;
    }
}
