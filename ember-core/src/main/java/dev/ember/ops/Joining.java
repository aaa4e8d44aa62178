package dev.ember.ops;

import dev.ember.autograd.Context;
import dev.ember.autograd.Dispatch;
import dev.ember.autograd.Op;
import dev.ember.tensor.DType;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Joining and splitting: {@code cat} is the primitive (its gradient hands each input the matching
 * narrow view of the output gradient); {@code stack} is unsqueeze + cat; {@code split} and
 * {@code chunk} return narrow views, so their gradients come from the view op.
 */
public final class Joining {
    private Joining() {
    }

    // =================================================================== primitive

    /** Concatenation along {@code dim} of same-dtype inputs whose shapes agree elsewhere. */
    public record Cat(int dim) implements Op {
        @Override
        public String name() {
            return "cat";
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor first = in[0];
            int[] shape = first.shape().toArray();
            int total = 0;
            for (int i = 0; i < in.length; i++) {
                Tensor t = in[i];
                checkCompatible(first, t, i, dim);
                if (t.dtype() != first.dtype()) {
                    throw new IllegalArgumentException("cat: tensor " + i + " has dtype " + t.dtype().pyName() + " but tensor 0 has "
                            + first.dtype().pyName() + " (Tensor.cat promotes; the op itself needs one dtype)");
                }
                total += t.size(dim);
            }
            shape[dim] = total;
            Tensor out = Creation.empty(Shape.of(shape), first.dtype(), first.device());
            Elementwise.backend(first).cat(in, dim, out);
            return out;
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor g) {
            Tensor[] grads = new Tensor[ctx.inputCount()];
            int at = 0;
            for (int i = 0; i < grads.length; i++) {
                int len = ctx.inputShape(i).size(dim);
                if (ctx.needsInputGrad(i)) grads[i] = g.narrow(dim, at, len);
                at += len;
            }
            return grads;
        }
    }

    // =================================================================== public functions

    /** See {@link Tensor#cat}. */
    public static Tensor cat(List<Tensor> tensors, int dim) {
        if (tensors == null || tensors.isEmpty()) throw new IllegalArgumentException("cat: expected a non-empty list of tensors");
        DType dt = null;
        boolean allLegacyEmpty = true;
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            if (t == null) throw new IllegalArgumentException("cat: tensor " + i + " in the list is null");
            if (t.rank() == 0) {
                throw new IllegalArgumentException("cat: zero-dimensional tensor (at position " + i + ") cannot be concatenated. "
                        + "Hint: use stack, or unsqueeze(0) first");
            }
            dt = dt == null ? t.dtype() : DType.promote(dt, t.dtype());
            allLegacyEmpty &= isLegacyEmpty(t);
        }
        // Like PyTorch, 1-D empty tensors (shape [0]) are skipped whatever the others' shapes.
        List<Tensor> parts = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            if (allLegacyEmpty || !isLegacyEmpty(t)) parts.add(t.to(dt));
        }
        int d = Shape.normalizeDim(dim, parts.get(0).rank(), "cat");
        return Dispatch.apply(new Cat(d), parts.toArray(new Tensor[0]));
    }

    /** See {@link Tensor#stack}. */
    public static Tensor stack(List<Tensor> tensors, int dim) {
        if (tensors == null || tensors.isEmpty()) throw new IllegalArgumentException("stack: expected a non-empty list of tensors");
        Shape shape = tensors.get(0).shape();
        for (int i = 1; i < tensors.size(); i++) {
            if (!tensors.get(i).shape().equals(shape)) {
                throw new IllegalArgumentException("stack: expects each tensor to be equal size, but got " + shape + " at entry 0 and "
                        + tensors.get(i).shape() + " at entry " + i);
            }
        }
        int d = Shape.normalizeDim(dim, shape.rank() + 1, "stack");
        List<Tensor> parts = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) parts.add(Views.unsqueeze(t, d));
        return cat(parts, d);
    }

    /** See {@link Tensor#split(int, int)}. */
    public static List<Tensor> split(Tensor x, int splitSize, int dim) {
        int d = dimOf(x, dim, "split");
        int n = x.size(d);
        if (splitSize < 0) throw new IllegalArgumentException("split: splitSize must be non-negative, got " + splitSize);
        if (splitSize == 0 && n != 0) {
            throw new IllegalArgumentException("split: splitSize can only be 0 if dimension " + d + " has size 0, got shape " + x.shape());
        }
        int parts = splitSize == 0 ? 1 : Math.max(1, (n + splitSize - 1) / splitSize);
        List<Tensor> out = new ArrayList<>(parts);
        for (int i = 0; i < parts; i++) {
            int start = i * splitSize;
            out.add(x.narrow(d, start, Math.min(splitSize, n - start)));
        }
        return Collections.unmodifiableList(out);
    }

    /** See {@link Tensor#split(int[], int)}. */
    public static List<Tensor> split(Tensor x, int[] sizes, int dim) {
        int d = dimOf(x, dim, "split");
        long sum = 0;
        for (int s : sizes) {
            if (s < 0) throw new IllegalArgumentException("split: sizes must be non-negative, got " + Arrays.toString(sizes));
            sum += s;
        }
        if (sum != x.size(d)) {
            throw new IllegalArgumentException("split: sizes " + Arrays.toString(sizes) + " must sum exactly to " + x.size(d)
                    + " (the size of dimension " + d + " of shape " + x.shape() + "), but sum to " + sum);
        }
        List<Tensor> out = new ArrayList<>(sizes.length);
        int start = 0;
        for (int s : sizes) {
            out.add(x.narrow(d, start, s));
            start += s;
        }
        return Collections.unmodifiableList(out);
    }

    /** See {@link Tensor#chunk}. */
    public static List<Tensor> chunk(Tensor x, int chunks, int dim) {
        if (chunks <= 0) throw new IllegalArgumentException("chunk: chunks must be greater than 0, got " + chunks);
        int d = dimOf(x, dim, "chunk");
        int n = x.size(d);
        if (n == 0) return Collections.nCopies(chunks, x); // as PyTorch: `chunks` empty pieces
        return split(x, (n + chunks - 1) / chunks, d);
    }

    // =================================================================== helpers

    private static boolean isLegacyEmpty(Tensor t) {
        return t.rank() == 1 && t.size(0) == 0;
    }

    private static int dimOf(Tensor x, int dim, String op) {
        if (x.rank() == 0) throw new IllegalArgumentException(op + ": cannot split a 0-d tensor");
        return Shape.normalizeDim(dim, x.rank(), op);
    }

    private static void checkCompatible(Tensor first, Tensor t, int i, int dim) {
        if (t.rank() != first.rank()) {
            throw new IllegalArgumentException("cat: tensors must have the same number of dimensions: got " + first.rank() + " and "
                    + t.rank() + " (tensor 0 " + first.shape() + ", tensor " + i + " " + t.shape() + ")");
        }
        for (int d = 0; d < t.rank(); d++) {
            if (d != dim && t.size(d) != first.size(d)) {
                throw new IllegalArgumentException("cat: sizes of tensors must match except in dimension " + dim + ". Expected size "
                        + first.size(d) + " but got size " + t.size(d) + " for tensor number " + i + " in the list (shapes "
                        + first.shape() + " and " + t.shape() + ")");
            }
        }
    }
}
