package dev.ember.optim;

import dev.ember.autograd.Grad;
import dev.ember.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Gradient clipping (PyTorch's {@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_}),
 * applied in place to the parameters' {@code grad()} between backward and the optimizer step.
 * Parameters without a gradient are skipped.
 *
 * <pre>{@code
 * loss.backward();
 * double norm = ClipGrad.clipGradNorm(model.parameters(), 1.0);   // rescale so the total L2 norm <= 1
 * opt.step();
 * }</pre>
 */
public final class ClipGrad {
    private ClipGrad() {
    }

    /** {@link #clipGradNorm(List, double, double, boolean)} with the L2 norm. */
    public static double clipGradNorm(List<Tensor> params, double maxNorm) {
        return clipGradNorm(params, maxNorm, 2.0, false);
    }

    /** {@link #clipGradNorm(List, double, double, boolean)} without the non-finite check. */
    public static double clipGradNorm(List<Tensor> params, double maxNorm, double normType) {
        return clipGradNorm(params, maxNorm, normType, false);
    }

    /**
     * Scales all gradients together so that their total norm, computed as if they were concatenated
     * into one vector, is at most {@code maxNorm}:
     * <pre>
     * total = (sum_i ||g_i||_p^p)^(1/p)          (p = inf: max_i max |g_i|)
     * g_i  *= min(1, maxNorm / (total + 1e-6))
     * </pre>
     *
     * @param normType         p &gt; 0, or {@code Double.POSITIVE_INFINITY} for the max norm
     * @param errorIfNonfinite throw instead of scaling when the total norm is NaN or infinite
     * @return the total norm before clipping (0 when no parameter has a gradient)
     */
    public static double clipGradNorm(List<Tensor> params, double maxNorm, double normType, boolean errorIfNonfinite) {
        if (!(normType > 0)) {
            throw new IllegalArgumentException("clipGradNorm: norm type must be > 0 or infinity, got " + normType);
        }
        if (Double.isNaN(maxNorm)) throw new IllegalArgumentException("clipGradNorm: max norm is NaN");
        List<Tensor> grads = grads(params);
        if (grads.isEmpty()) return 0.0;
        double total;
        try (var off = Grad.off()) {
            boolean inf = normType == Double.POSITIVE_INFINITY;
            double acc = inf ? Double.NEGATIVE_INFINITY : 0;
            for (Tensor g : grads) {
                if (g.numel() == 0) continue;
                if (inf) {
                    acc = Math.max(acc, g.detach().abs().max().item()); // Math.max propagates NaN
                } else {
                    acc += pNormPowered(g.detach(), normType);
                }
            }
            total = inf ? (acc == Double.NEGATIVE_INFINITY ? 0 : acc) : Math.pow(acc, 1.0 / normType);
            if (errorIfNonfinite && !Double.isFinite(total)) {
                throw new IllegalStateException("clipGradNorm: The total norm of order " + normType + " for gradients from `parameters` "
                        + "is non-finite, so it cannot be clipped. To disable this error and scale the gradients by the non-finite norm "
                        + "anyway, set errorIfNonfinite to false");
            }
            double coef = Math.min(maxNorm / (total + 1e-6), 1.0); // NaN stays NaN, as torch.clamp
            if (coef != 1.0) {
                for (Tensor g : grads) g.mulInPlace(coef);
            }
        }
        return total;
    }

    /** {@code sum |g|^p} (for p = 2 the plain sum of squares). */
    private static double pNormPowered(Tensor g, double p) {
        if (p == 2) return g.mul(g).sum().item();
        if (p == 1) return g.abs().sum().item();
        return g.abs().pow(p).sum().item();
    }

    /** Clamps every gradient element to {@code [-clipValue, clipValue]} in place. */
    public static void clipGradValue(List<Tensor> params, double clipValue) {
        if (!(clipValue >= 0)) throw new IllegalArgumentException("clipGradValue: clip value must be >= 0, got " + clipValue);
        try (var off = Grad.off()) {
            for (Tensor g : grads(params)) g.clampInPlace(-clipValue, clipValue);
        }
    }

    private static List<Tensor> grads(List<Tensor> params) {
        List<Tensor> grads = new ArrayList<>();
        for (Tensor p : params) {
            if (p.grad() != null) grads.add(p.grad());
        }
        return grads;
    }
}
