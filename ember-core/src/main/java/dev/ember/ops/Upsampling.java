package dev.ember.ops;

import dev.ember.autograd.Context;
import dev.ember.autograd.Dispatch;
import dev.ember.autograd.Op;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;

import static dev.ember.ops.SpatialArgs.floating;
import static dev.ember.ops.SpatialArgs.nonEmptySpatial;
import static dev.ember.ops.SpatialArgs.rank;

/**
 * Resizing NCHW images to a given size ({@code torch.nn.functional.interpolate} with
 * {@code mode='nearest'} or {@code 'bilinear'} and {@code size=(outH, outW)}). Both are linear maps:
 * each backward is the adjoint kernel, whose backward is the forward again.
 */
public final class Upsampling {
    private Upsampling() {
    }

    // =================================================================== primitives

    /** Nearest-neighbour resize to [outH, outW]. */
    public record UpsampleNearest2d(int outH, int outW) implements Op {
        @Override
        public String name() {
            return "upsampleNearest2d";
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor x = in[0];
            Tensor out = Creation.empty(Shape.of(x.size(0), x.size(1), outH, outW), x.dtype(), x.device());
            Elementwise.backend(x).upsampleNearest2d(x, out);
            return out;
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor g) {
            Shape xs = ctx.inputShape(0);
            return new Tensor[] {Dispatch.apply(new UpsampleNearest2dBackward(xs.size(2), xs.size(3)), g)};
        }
    }

    /** The adjoint of {@link UpsampleNearest2d}: sums gradients onto their source pixels of [N, C, height, width]. */
    public record UpsampleNearest2dBackward(int height, int width) implements Op {
        @Override
        public String name() {
            return "upsampleNearest2dBackward";
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor g = in[0];
            Tensor out = Creation.empty(Shape.of(g.size(0), g.size(1), height, width), g.dtype(), g.device());
            Elementwise.backend(g).upsampleNearest2dBackward(g, out);
            return out;
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor gg) {
            Shape gs = ctx.inputShape(0);
            return new Tensor[] {Dispatch.apply(new UpsampleNearest2d(gs.size(2), gs.size(3)), gg)};
        }
    }

    /** Bilinear resize to [outH, outW]. */
    public record UpsampleBilinear2d(int outH, int outW, boolean alignCorners) implements Op {
        @Override
        public String name() {
            return "upsampleBilinear2d";
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor x = in[0];
            Tensor out = Creation.empty(Shape.of(x.size(0), x.size(1), outH, outW), x.dtype(), x.device());
            Elementwise.backend(x).upsampleBilinear2d(x, alignCorners, out);
            return out;
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor g) {
            Shape xs = ctx.inputShape(0);
            return new Tensor[] {Dispatch.apply(new UpsampleBilinear2dBackward(xs.size(2), xs.size(3), alignCorners), g)};
        }
    }

    /** The adjoint of {@link UpsampleBilinear2d}, into [N, C, height, width]. */
    public record UpsampleBilinear2dBackward(int height, int width, boolean alignCorners) implements Op {
        @Override
        public String name() {
            return "upsampleBilinear2dBackward";
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor g = in[0];
            Tensor out = Creation.empty(Shape.of(g.size(0), g.size(1), height, width), g.dtype(), g.device());
            Elementwise.backend(g).upsampleBilinear2dBackward(g, alignCorners, out);
            return out;
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor gg) {
            Shape gs = ctx.inputShape(0);
            return new Tensor[] {Dispatch.apply(new UpsampleBilinear2d(gs.size(2), gs.size(3), alignCorners), gg)};
        }
    }

    // =================================================================== functions

    /**
     * Nearest-neighbour resize of x [N, C, H, W] to [N, C, outH, outW]: output row {@code i} copies
     * input row {@code min(floor(i * H/outH), H-1)} (PyTorch's {@code mode='nearest'}), likewise columns.
     */
    public static Tensor upsampleNearest2d(Tensor x, int outH, int outW) {
        check("upsampleNearest2d", x, outH, outW);
        return Dispatch.apply(new UpsampleNearest2d(outH, outW), x);
    }

    /**
     * Bilinear resize of x [N, C, H, W] to [N, C, outH, outW]. With {@code alignCorners} the corner
     * pixels of input and output line up (source {@code i * (H-1)/(outH-1)}); without, pixel areas do
     * (source {@code max((i + 0.5) * H/outH - 0.5, 0)}), as PyTorch's {@code align_corners}.
     */
    public static Tensor upsampleBilinear2d(Tensor x, int outH, int outW, boolean alignCorners) {
        check("upsampleBilinear2d", x, outH, outW);
        return Dispatch.apply(new UpsampleBilinear2d(outH, outW, alignCorners), x);
    }

    private static void check(String op, Tensor x, int outH, int outW) {
        rank(op, "input", x, 4, "[N, C, H, W]");
        floating(op, "input", x);
        nonEmptySpatial(op, x);
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException(op + ": output size must be positive, got " + outH + "x" + outW + " for input "
                    + x.shape());
        }
    }
}
