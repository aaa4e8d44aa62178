package dev.ember.nn;

import dev.ember.ops.Upsampling;
import dev.ember.tensor.Tensor;

/**
 * Resizes [N, C, H, W] images, to a fixed size or by a scale factor, with nearest-neighbour or bilinear
 * interpolation (PyTorch's {@code nn.Upsample}; with a scale factor the output is
 * {@code floor(H * scale)} and source positions follow the sizes, as {@code recompute_scale_factor=True}).
 *
 * <pre>{@code
 * Upsample up = Upsample.scale(2, Upsample.Mode.NEAREST);
 * Tensor y = up.forward(Tensor.randn(1, 3, 16, 16));   // [1, 3, 32, 32]
 * }</pre>
 */
public final class Upsample extends Module {
    /** The interpolation. */
    public enum Mode { NEAREST, BILINEAR }

    private final int sizeH, sizeW;
    private final double scaleH, scaleW;
    public final Mode mode;
    public final boolean alignCorners;

    private Upsample(int sizeH, int sizeW, double scaleH, double scaleW, Mode mode, boolean alignCorners) {
        if (mode == null) throw new IllegalArgumentException("Upsample: mode must not be null");
        if (alignCorners && mode == Mode.NEAREST) {
            throw new IllegalArgumentException("Upsample: alignCorners only applies to bilinear interpolation, not nearest");
        }
        this.sizeH = sizeH;
        this.sizeW = sizeW;
        this.scaleH = scaleH;
        this.scaleW = scaleW;
        this.mode = mode;
        this.alignCorners = alignCorners;
    }

    /** Resizes to outH x outW. */
    public static Upsample size(int outH, int outW, Mode mode, boolean alignCorners) {
        if (outH < 1 || outW < 1) throw new IllegalArgumentException("Upsample: output size must be positive, got " + outH + "x" + outW);
        return new Upsample(outH, outW, 0, 0, mode, alignCorners);
    }

    /** Scales height and width by {@code factor} (output {@code floor(H * factor)}). */
    public static Upsample scale(double factor, Mode mode) {
        return scale(factor, mode, false);
    }

    /** Scales height and width by {@code factor}, with bilinear corner alignment if asked. */
    public static Upsample scale(double factor, Mode mode, boolean alignCorners) {
        if (!(factor > 0) || Double.isInfinite(factor)) throw new IllegalArgumentException("Upsample: scale factor must be positive and finite, got " + factor);
        return new Upsample(0, 0, factor, factor, mode, alignCorners);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4) throw new IllegalArgumentException("Upsample: expected a 4-D input [N, C, H, W], got " + x.shape());
        int h = sizeH > 0 ? sizeH : (int) Math.floor(x.size(2) * scaleH);
        int w = sizeW > 0 ? sizeW : (int) Math.floor(x.size(3) * scaleW);
        return F.interpolate(x, h, w, mode, alignCorners);
    }

    @Override
    protected String extraRepr() {
        return (sizeH > 0 ? "size=(" + sizeH + ", " + sizeW + ")" : "scale_factor=" + scaleH) + ", mode='" + mode.name().toLowerCase() + "'";
    }
}
