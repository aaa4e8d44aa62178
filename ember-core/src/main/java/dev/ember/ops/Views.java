package dev.ember.ops;

import dev.ember.autograd.Context;
import dev.ember.autograd.Dispatch;
import dev.ember.autograd.Op;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;
import dev.ember.tensor.TensorAccess;

import java.util.Arrays;

/**
 * View ops: new shape or strides over the same storage, no data copied. Each is a primitive with its
 * gradient (reshape back, inverse permutation, sum over broadcast dimensions, scatter into zeros).
 */
public final class Views {
    private Views() {
    }

    // =================================================================== primitives

    /** A view with another shape over strides that allow it (see {@link #viewStrides}). */
    public record View(Shape to) implements Op {
        @Override
        public String name() {
            return "view";
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor x = in[0];
            int[] st = viewStrides(TensorAccess.dims(x), TensorAccess.strides(x), TensorAccess.dims(to));
            if (st == null) {
                throw new IllegalArgumentException("view: shape " + to + " is not compatible with the input's shape " + x.shape()
                        + " and strides " + Arrays.toString(x.strides()) + " (at least one dimension spans two contiguous "
                        + "subspaces). Hint: use reshape(...), which copies when needed.");
            }
            return TensorAccess.view(x, to, st, x.offset());
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor g) {
            return new Tensor[] {reshape(g, TensorAccess.dims(ctx.inputShape(0)))};
        }
    }

    /** Dimension reordering: output dimension i is input dimension {@code dims[i]}. */
    public record Permute(int[] dims) implements Op {
        @Override
        public String name() {
            return "permute";
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor x = in[0];
            int[] xd = TensorAccess.dims(x), xs = TensorAccess.strides(x);
            int[] d = new int[dims.length], s = new int[dims.length];
            for (int i = 0; i < dims.length; i++) {
                d[i] = xd[dims[i]];
                s[i] = xs[dims[i]];
            }
            return TensorAccess.view(x, TensorAccess.shape(d), s, x.offset());
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor g) {
            int[] inv = new int[dims.length];
            for (int i = 0; i < dims.length; i++) inv[dims[i]] = i;
            return new Tensor[] {g.permute(inv)};
        }
    }

    /** Broadcast to a larger shape with zero strides. */
    public record Expand(Shape to) implements Op {
        @Override
        public String name() {
            return "expand";
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor x = in[0];
            int[] xd = TensorAccess.dims(x), xs = TensorAccess.strides(x), td = TensorAccess.dims(to);
            int lead = td.length - xd.length;
            int[] s = new int[td.length];
            for (int i = 0; i < td.length; i++) {
                if (i < lead) continue;
                int sd = xd[i - lead];
                if (sd == td[i]) {
                    s[i] = xs[i - lead];
                } else if (sd != 1) {
                    throw new IllegalArgumentException("expand: the expanded size of dimension " + i + " (" + td[i]
                            + ") must match the existing size (" + sd + ") at non-singleton dimensions; shape " + x.shape()
                            + " cannot expand to " + to);
                }
            }
            return TensorAccess.view(x, to, s, x.offset());
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor g) {
            return new Tensor[] {sumTo(g, ctx.inputShape(0))};
        }
    }

    /** Elements start, start+step, ... (< end) along one dimension; start/end already normalised. */
    public record Slice(int dim, int start, int end, int step) implements Op {
        @Override
        public String name() {
            return "slice";
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor x = in[0];
            int[] d = TensorAccess.dims(x).clone(), s = TensorAccess.strides(x).clone();
            int len = end <= start ? 0 : (end - start + step - 1) / step;
            int off = x.offset() + (len == 0 ? 0 : start * s[dim]);
            d[dim] = len;
            s[dim] *= step;
            return TensorAccess.view(x, TensorAccess.shape(d), s, off);
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor g) {
            return new Tensor[] {Dispatch.apply(new SliceBackward(ctx.inputShape(0), dim, start, end, step), g)};
        }
    }

    /** Gradient of {@link Slice}: zeros of the input shape with g written into the slice. */
    public record SliceBackward(Shape inputShape, int dim, int start, int end, int step) implements Op {
        @Override
        public String name() {
            return "sliceBackward";
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor out = Creation.empty(inputShape, in[0].dtype(), in[0].device());
            Tensor window = new Slice(dim, start, end, step).forward(Context.NONE, out);
            Elementwise.backend(out).copy(in[0], window);
            return out;
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor g) {
            return new Tensor[] {g.slice(dim, start, end, step)};
        }
    }

    // =================================================================== stride arithmetic

    /**
     * Strides for viewing a tensor of shape {@code old}/strides {@code oldSt} as {@code shape}, or null
     * when some new dimension would have to span memory that is not uniformly strided.
     */
    static int[] viewStrides(int[] old, int[] oldSt, int[] shape) {
        int[] st = new int[shape.length];
        long numel = 1;
        for (int d : old) numel *= d;
        if (numel == 0 || old.length == 0) {
            return TensorAccess.shape(shape.clone()).contiguousStrides();
        }
        int viewD = shape.length - 1;
        long chunkBase = oldSt[old.length - 1];
        long tensorNumel = 1, viewNumel = 1;
        for (int td = old.length - 1; td >= 0; td--) {
            tensorNumel *= old[td];
            if (td == 0 || (old[td - 1] != 1 && oldSt[td - 1] != tensorNumel * chunkBase)) {
                while (viewD >= 0 && (viewNumel < tensorNumel || shape[viewD] == 1)) {
                    st[viewD] = (int) (viewNumel * chunkBase);
                    viewNumel *= shape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) return null;
                if (td > 0) {
                    chunkBase = oldSt[td - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        return viewD == -1 ? st : null;
    }

    /** Resolves one -1 and checks the element count. */
    static Shape inferShape(Shape from, int[] shape, String op) {
        int infer = -1;
        long known = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException(op + ": only one dimension can be -1, got " + Arrays.toString(shape));
                infer = i;
            } else if (shape[i] < 0) {
                throw new IllegalArgumentException(op + ": invalid size " + shape[i] + " in " + Arrays.toString(shape));
            } else {
                known *= shape[i];
            }
        }
        int[] d = shape.clone();
        if (infer >= 0) {
            if (known == 0 || from.numel() % known != 0) {
                throw new IllegalArgumentException(op + ": shape " + Arrays.toString(shape) + " is invalid for input of size "
                        + from.numel() + " (shape " + from + ")");
            }
            d[infer] = (int) (from.numel() / known);
        } else if (known != from.numel()) {
            throw new IllegalArgumentException(op + ": shape " + Arrays.toString(shape) + " is invalid for input of size "
                    + from.numel() + " (shape " + from + ")");
        }
        return Shape.of(d);
    }

    // =================================================================== public functions

    public static Tensor view(Tensor x, int... shape) {
        Shape s = inferShape(x.shape(), shape, "view");
        return Dispatch.apply(new View(s), x);
    }

    public static Tensor reshape(Tensor x, int... shape) {
        Shape s = inferShape(x.shape(), shape, "reshape");
        if (s.equals(x.shape())) return x;
        if (viewStrides(TensorAccess.dims(x), TensorAccess.strides(x), TensorAccess.dims(s)) == null) x = x.contiguous();
        return Dispatch.apply(new View(s), x);
    }

    public static Tensor permute(Tensor x, int... dims) {
        int r = x.rank();
        if (dims.length != r) {
            throw new IllegalArgumentException("permute: expected " + r + " dimensions for shape " + x.shape() + ", got "
                    + Arrays.toString(dims));
        }
        int[] d = new int[r];
        boolean[] seen = new boolean[r];
        boolean identity = true;
        for (int i = 0; i < r; i++) {
            d[i] = Shape.normalizeDim(dims[i], r, "permute");
            if (seen[d[i]]) throw new IllegalArgumentException("permute: dimension " + d[i] + " repeated in " + Arrays.toString(dims));
            seen[d[i]] = true;
            identity &= d[i] == i;
        }
        if (identity) return x;
        return Dispatch.apply(new Permute(d), x);
    }

    public static Tensor transpose(Tensor x, int d0, int d1) {
        int r = x.rank();
        int a = Shape.normalizeDim(d0, r, "transpose"), b = Shape.normalizeDim(d1, r, "transpose");
        if (a == b || r < 2) return x;
        int[] p = new int[r];
        for (int i = 0; i < r; i++) p[i] = i;
        p[a] = b;
        p[b] = a;
        return Dispatch.apply(new Permute(p), x);
    }

    public static Tensor expand(Tensor x, int... shape) {
        int lead = shape.length - x.rank();
        if (lead < 0) {
            throw new IllegalArgumentException("expand: the number of sizes provided (" + shape.length + ") must be greater or equal "
                    + "to the number of dimensions in the tensor (" + x.rank() + ")");
        }
        int[] d = shape.clone();
        for (int i = 0; i < d.length; i++) {
            if (d[i] == -1) {
                if (i < lead) throw new IllegalArgumentException("expand: -1 is not allowed in a leading, new dimension (" + i + ")");
                d[i] = x.size(i - lead);
            }
        }
        Shape s = Shape.of(d);
        if (s.equals(x.shape())) return x;
        return Dispatch.apply(new Expand(s), x);
    }

    /** Sums a broadcast gradient back to {@code shape} (the inverse of expand). */
    public static Tensor sumTo(Tensor g, Shape shape) {
        if (g.shape().equals(shape)) return g;
        int lead = g.rank() - shape.rank();
        int[] gd = TensorAccess.dims(g), sd = TensorAccess.dims(shape);
        int n = 0;
        int[] dims = new int[g.rank()];
        for (int i = 0; i < g.rank(); i++) {
            if (i < lead || (sd[i - lead] == 1 && gd[i] != 1)) dims[n++] = i;
        }
        Tensor r = Reductions.sum(g, Arrays.copyOf(dims, n), true);
        return reshape(r, sd);
    }

    public static Tensor slice(Tensor x, int dim, int start, int end, int step) {
        int d = Shape.normalizeDim(dim, x.rank(), "slice");
        if (x.rank() == 0) throw new IllegalArgumentException("slice: cannot slice a 0-d tensor");
        if (step <= 0) throw new IllegalArgumentException("slice: step must be positive, got " + step);
        int n = x.size(d);
        int s = start < 0 ? start + n : start, e = end < 0 ? end + n : end;
        s = Math.max(0, Math.min(s, n));
        e = Math.max(s, Math.min(e, n));
        if (s == 0 && e == n && step == 1) return x;
        return Dispatch.apply(new Slice(d, s, e, step), x);
    }

    public static Tensor select(Tensor x, int dim, int index) {
        if (x.rank() == 0) throw new IllegalArgumentException("select: cannot select from a 0-d tensor");
        int d = Shape.normalizeDim(dim, x.rank(), "select");
        int n = x.size(d);
        int i = index < 0 ? index + n : index;
        if (i < 0 || i >= n) {
            throw new IndexOutOfBoundsException("select: index " + index + " is out of bounds for dimension " + d + " with size " + n);
        }
        return squeeze(Dispatch.apply(new Slice(d, i, i + 1, 1), x), d);
    }

    public static Tensor squeeze(Tensor x) {
        int[] d = TensorAccess.dims(x);
        int n = 0;
        for (int v : d) if (v != 1) n++;
        if (n == d.length) return x;
        int[] nd = new int[n];
        for (int i = 0, j = 0; i < d.length; i++) if (d[i] != 1) nd[j++] = d[i];
        return Dispatch.apply(new View(Shape.of(nd)), x);
    }

    public static Tensor squeeze(Tensor x, int dim) {
        if (x.rank() == 0) return x;
        int d = Shape.normalizeDim(dim, x.rank(), "squeeze");
        if (x.size(d) != 1) return x;
        int[] od = TensorAccess.dims(x);
        int[] nd = new int[od.length - 1];
        for (int i = 0, j = 0; i < od.length; i++) if (i != d) nd[j++] = od[i];
        return Dispatch.apply(new View(Shape.of(nd)), x);
    }

    public static Tensor unsqueeze(Tensor x, int dim) {
        int d = Shape.normalizeDim(dim, x.rank() + 1, "unsqueeze");
        int[] od = TensorAccess.dims(x);
        int[] nd = new int[od.length + 1];
        for (int i = 0, j = 0; i < nd.length; i++) nd[i] = i == d ? 1 : od[j++];
        return Dispatch.apply(new View(Shape.of(nd)), x);
    }

    public static Tensor flatten(Tensor x, int startDim, int endDim) {
        if (x.rank() == 0) return reshape(x, 1);
        int s = Shape.normalizeDim(startDim, x.rank(), "flatten"), e = Shape.normalizeDim(endDim, x.rank(), "flatten");
        if (s > e) throw new IllegalArgumentException("flatten: startDim (" + startDim + ") cannot come after endDim (" + endDim + ")");
        if (s == e) return x;
        int[] od = TensorAccess.dims(x);
        int[] nd = new int[od.length - (e - s)];
        int k = 0;
        for (int i = 0; i < s; i++) nd[k++] = od[i];
        int prod = 1;
        for (int i = s; i <= e; i++) prod *= od[i];
        nd[k++] = prod;
        for (int i = e + 1; i < od.length; i++) nd[k++] = od[i];
        return reshape(x, nd);
    }

    public static Tensor unflatten(Tensor x, int dim, int... sizes) {
        int d = Shape.normalizeDim(dim, x.rank(), "unflatten");
        Shape part = inferShape(Shape.of(x.size(d)), sizes, "unflatten");
        int[] od = TensorAccess.dims(x);
        int[] nd = new int[od.length - 1 + sizes.length];
        int k = 0;
        for (int i = 0; i < d; i++) nd[k++] = od[i];
        for (int v : part.toArray()) nd[k++] = v;
        for (int i = d + 1; i < od.length; i++) nd[k++] = od[i];
        return Dispatch.apply(new View(Shape.of(nd)), x);
    }
}
