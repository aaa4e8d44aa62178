package dev.ember.tensor;

import dev.ember.ops.Creation;

import java.util.Locale;

/**
 * PyTorch-style printing: {@code tensor([[1.0000, 2.0000], [3.0000, 4.0000]], shape=[2, 2])}, with
 * rows on separate lines, a shared number format chosen from the values (integers print as
 * {@code 1.}, large or tiny magnitudes in scientific notation), and the middle of long dimensions
 * elided with {@code ...} once a tensor has more than 1000 elements.
 */
final class TensorFormat {
    private static final int THRESHOLD = 1000;
    private static final int EDGE = 3;

    private TensorFormat() {
    }

    static String format(Tensor t) {
        StringBuilder sb = new StringBuilder("tensor(");
        double[] vals;
        try {
            vals = Creation.toDoubleArray(t);
        } catch (RuntimeException e) {
            return "tensor(<unavailable: " + e.getMessage() + ">, shape=" + t.shape() + ")";
        }
        boolean summarize = t.numel() > THRESHOLD;
        NumberStyle style = NumberStyle.of(t.dtype(), vals, t.shape(), summarize);
        int[] dims = t.shape().dimsUnsafe();
        int[] strides = t.shape().contiguousStrides();
        appendDim(sb, vals, dims, strides, 0, 0, style, summarize, "tensor(".length());
        sb.append(", shape=").append(t.shape());
        if (t.dtype() != DType.FLOAT32) sb.append(", dtype=").append(t.dtype().pyName());
        if (t.gradFn() != null) sb.append(", gradFn=").append(t.gradFn().name());
        else if (t.requiresGrad()) sb.append(", requiresGrad=true");
        return sb.append(')').toString();
    }

    private static void appendDim(StringBuilder sb, double[] v, int[] dims, int[] strides, int dim, int base,
                                  NumberStyle style, boolean summarize, int indent) {
        if (dims.length == 0) {
            sb.append(style.format(v[0]));
            return;
        }
        int n = dims[dim];
        sb.append('[');
        boolean last = dim == dims.length - 1;
        for (int i = 0; i < n; i++) {
            if (summarize && n > 2 * EDGE && i == EDGE) {
                sb.append(last ? "..., " : "...,\n" + " ".repeat(indent + dim + 1));
                i = n - EDGE - 1;
                continue;
            }
            if (last) {
                sb.append(style.format(v[base + i * strides[dim]]));
            } else {
                appendDim(sb, v, dims, strides, dim + 1, base + i * strides[dim], style, summarize, indent);
            }
            if (i < n - 1) {
                sb.append(',');
                if (last) {
                    sb.append(' ');
                } else {
                    sb.append("\n".repeat(dims.length - dim - 1)).append(" ".repeat(indent + dim + 1));
                }
            }
        }
        sb.append(']');
    }

    /** One format for all elements of a tensor, chosen from the printed values as PyTorch does. */
    private record NumberStyle(DType dtype, boolean integers, boolean scientific, int width) {
        static NumberStyle of(DType dtype, double[] v, Shape shape, boolean summarize) {
            if (!dtype.isFloating()) {
                int w = 1;
                for (double x : v) w = Math.max(w, dtype == DType.BOOL ? (x != 0 ? 4 : 5) : Long.toString((long) x).length());
                return new NumberStyle(dtype, true, false, w);
            }
            boolean ints = true;
            double maxAbs = 0, minAbs = Double.MAX_VALUE;
            for (double x : v) {
                if (!Double.isFinite(x)) continue;
                if (x != Math.rint(x)) ints = false;
                double a = Math.abs(x);
                maxAbs = Math.max(maxAbs, a);
                if (a != 0) minAbs = Math.min(minAbs, a);
            }
            boolean sci = maxAbs != 0 && (maxAbs / Math.max(minAbs, Double.MIN_NORMAL) > 1000 || maxAbs > 1e8 || minAbs < 1e-4);
            if (ints && maxAbs < 1e8) sci = false;
            NumberStyle probe = new NumberStyle(dtype, ints, sci, 0);
            int w = 1;
            for (double x : v) w = Math.max(w, probe.raw(x).length());
            return new NumberStyle(dtype, ints, sci, w);
        }

        String raw(double x) {
            if (dtype == DType.BOOL) return x != 0 ? "true" : "false";
            if (!dtype.isFloating()) return Long.toString((long) x);
            if (Double.isNaN(x)) return "nan";
            if (Double.isInfinite(x)) return x > 0 ? "inf" : "-inf";
            if (scientific) return String.format(Locale.ROOT, "%.4e", x);
            if (integers) return String.format(Locale.ROOT, "%.0f.", x);
            return String.format(Locale.ROOT, "%.4f", x);
        }

        String format(double x) {
            String s = raw(x);
            return " ".repeat(Math.max(0, width - s.length())) + s;
        }
    }
}
