package dev.ember.ops;

import dev.ember.autograd.Context;
import dev.ember.autograd.Dispatch;
import dev.ember.autograd.InPlaceOp;
import dev.ember.kernels.Backend;
import dev.ember.kernels.Backends;
import dev.ember.kernels.BinaryOp;
import dev.ember.kernels.UnaryOp;
import dev.ember.tensor.DType;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;

import java.util.Locale;

/**
 * Elementwise ops: type promotion and broadcasting (done here with casts and zero-stride views, so
 * the primitives below only ever see same-shape, same-dtype inputs), and the primitives themselves
 * with their gradients.
 */
public final class Elementwise {
    private Elementwise() {
    }

    static Backend backend(Tensor t) {
        return Backends.get(t.device());
    }

    static String opName(Enum<?> kind) {
        String s = kind.name().toLowerCase(Locale.ROOT);
        StringBuilder sb = new StringBuilder();
        boolean up = false;
        for (char c : s.toCharArray()) {
            if (c == '_') {
                up = true;
            } else {
                sb.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return sb.toString();
    }

    // =================================================================== primitives

    /** {@code op(x)}; result dtype is x's (BOOL for logicalNot/isnan). */
    public record Unary(UnaryOp kind, double p0, double p1) implements InPlaceOp {
        @Override
        public String name() {
            return opName(kind);
        }

        @Override
        public boolean differentiable() {
            return !kind.boolResult();
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor x = in[0];
            Tensor out = Creation.uninitialized(x.shape(), kind.boolResult() ? DType.BOOL : x.dtype(), x.device());
            backend(x).unary(kind, x, out, p0, p1);
            save(ctx, x);
            return out;
        }

        @Override
        public void forwardInto(Context ctx, Tensor target, Tensor... in) {
            if (kind.boolResult()) throw new IllegalArgumentException(name() + "InPlace: result is bool, cannot write into "
                    + target.dtype().pyName());
            save(ctx, in[0]);
            backend(target).unary(kind, in[0], target, p0, p1);
        }

        private void save(Context ctx, Tensor x) {
            switch (kind) {
                case EXP, EXPM1, SQRT, RSQRT, TANH, SIGMOID, RELU, RECIPROCAL, RPOW_SCALAR -> ctx.saveOutput();
                default -> ctx.save(x);
            }
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor g) {
            return new Tensor[] {switch (kind) {
                case NEG -> g.neg();
                case EXP -> g.mul(ctx.output());
                case LOG -> g.div(ctx.saved(0));
                case LOG1P -> g.div(ctx.saved(0).add(1.0));
                case EXPM1 -> g.mul(ctx.output().add(1.0));
                case SQRT -> g.div(ctx.output().mul(2.0));
                case RSQRT -> g.mul(ctx.output().pow(3.0)).mul(-0.5);
                case ABS -> g.mul(ctx.saved(0).sign());
                case SIGN, FLOOR, CEIL, ROUND, TRUNC -> g.zerosLike();
                case SIN -> g.mul(ctx.saved(0).cos());
                case COS -> g.mul(ctx.saved(0).sin()).neg();
                case TANH -> binaryPrim(BinaryOp.TANH_BACKWARD, g, ctx.output(), 0);
                case SIGMOID -> binaryPrim(BinaryOp.SIGMOID_BACKWARD, g, ctx.output(), 0);
                case RELU -> binaryPrim(BinaryOp.RELU_BACKWARD, g, ctx.output(), 0);
                case GELU -> binaryPrim(BinaryOp.GELU_BACKWARD, g, ctx.saved(0), 0);
                case GELU_TANH -> binaryPrim(BinaryOp.GELU_TANH_BACKWARD, g, ctx.saved(0), 0);
                case SILU -> binaryPrim(BinaryOp.SILU_BACKWARD, g, ctx.saved(0), 0);
                case SOFTPLUS -> binaryPrim(BinaryOp.SOFTPLUS_BACKWARD, g, ctx.saved(0), 0);
                case ELU -> binaryPrim(BinaryOp.ELU_BACKWARD, g, ctx.saved(0), p0);
                case LEAKY_RELU -> binaryPrim(BinaryOp.LEAKY_RELU_BACKWARD, g, ctx.saved(0), p0);
                case CLAMP -> {
                    Tensor x = ctx.saved(0);
                    Tensor keep = x.eq(x); // true except NaN
                    if (!Double.isNaN(p0)) keep = keep.logicalAnd(x.ge(p0));
                    if (!Double.isNaN(p1)) keep = keep.logicalAnd(x.le(p1));
                    yield where(keep, g, g.zerosLike());
                }
                case POW_SCALAR -> p0 == 0 ? g.zerosLike() : g.mul(ctx.saved(0).pow(p0 - 1)).mul(p0);
                case RPOW_SCALAR -> g.mul(ctx.output()).mul(Math.log(p0));
                case RECIPROCAL -> g.mul(ctx.output().square()).neg();
                case SQUARE -> g.mul(ctx.saved(0)).mul(2.0);
                case ERF -> g.mul(ctx.saved(0).square().neg().exp()).mul(2.0 / Math.sqrt(Math.PI));
                case LOGICAL_NOT, ISNAN -> throw new IllegalStateException(name() + " is not differentiable");
            }};
        }
    }

    /** {@code op(a, b)} on same-shape, same-dtype inputs; BOOL result for comparisons and logic. */
    public record Binary(BinaryOp kind, double p0) implements InPlaceOp {
        @Override
        public String name() {
            return opName(kind);
        }

        @Override
        public boolean differentiable() {
            return !kind.boolResult();
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor a = in[0], b = in[1];
            Tensor out = Creation.uninitialized(a.shape(), kind.boolResult() ? DType.BOOL : a.dtype(), a.device());
            backend(a).binary(kind, a, b, out, p0);
            save(ctx, a, b);
            return out;
        }

        @Override
        public void forwardInto(Context ctx, Tensor target, Tensor... in) {
            save(ctx, in[0], in[1]);
            backend(target).binary(kind, in[0], in[1], target, p0);
        }

        private void save(Context ctx, Tensor a, Tensor b) {
            switch (kind) {
                case ADD, SUB -> { }
                case POW -> {
                    ctx.save(a, b);
                    ctx.saveOutput();
                }
                default -> ctx.save(a, b);
            }
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor g) {
            boolean na = ctx.needsInputGrad(0), nb = ctx.needsInputGrad(1);
            return switch (kind) {
                case ADD -> new Tensor[] {na ? g : null, nb ? g : null};
                case SUB -> new Tensor[] {na ? g : null, nb ? g.neg() : null};
                case MUL -> new Tensor[] {na ? g.mul(ctx.saved(1)) : null, nb ? g.mul(ctx.saved(0)) : null};
                case DIV -> {
                    Tensor b = ctx.saved(1);
                    yield new Tensor[] {na ? g.div(b) : null, nb ? g.mul(ctx.saved(0)).div(b.square()).neg() : null};
                }
                case POW -> {
                    Tensor a = ctx.saved(0), b = ctx.saved(1);
                    Tensor ga = na ? g.mul(b).mul(a.pow(b.sub(1.0))) : null;
                    Tensor gb = null;
                    if (nb) { // d/db a^b = a^b ln a, taken as 0 where a == 0 and b >= 0 (as PyTorch)
                        Tensor raw = g.mul(ctx.output()).mul(a.log());
                        gb = where(a.eq(0.0).logicalAnd(b.ge(0.0)), raw.zerosLike(), raw);
                    }
                    yield new Tensor[] {ga, gb};
                }
                case MINIMUM, MAXIMUM -> {
                    Tensor a = ctx.saved(0), b = ctx.saved(1);
                    Tensor aWins = kind == BinaryOp.MAXIMUM ? a.gt(b) : a.lt(b);
                    Tensor tie = a.eq(b);
                    Tensor half = g.mul(0.5), zero = g.zerosLike();
                    Tensor ga = na ? where(aWins, g, where(tie, half, zero)) : null;
                    Tensor gb = nb ? where(aWins, zero, where(tie, half, g)) : null;
                    yield new Tensor[] {ga, gb};
                }
                case REMAINDER -> new Tensor[] {na ? g : null,
                        nb ? g.mul(ctx.saved(0).div(ctx.saved(1)).floor()).neg() : null};
                case ATAN2 -> {
                    Tensor a = ctx.saved(0), b = ctx.saved(1);
                    Tensor den = a.square().add(b.square());
                    yield new Tensor[] {na ? g.mul(b).div(den) : null, nb ? g.mul(a).neg().div(den) : null};
                }
                case RELU_BACKWARD -> new Tensor[] {na ? binaryPrim(BinaryOp.RELU_BACKWARD, g, ctx.saved(1), 0) : null,
                        nb ? g.zerosLike() : null};
                case LEAKY_RELU_BACKWARD -> new Tensor[] {na ? binaryPrim(kind, g, ctx.saved(1), p0) : null,
                        nb ? g.zerosLike() : null};
                case SIGMOID_BACKWARD -> { // a * y * (1 - y)
                    Tensor a = ctx.saved(0), y = ctx.saved(1);
                    yield new Tensor[] {na ? binaryPrim(kind, g, y, 0) : null,
                            nb ? g.mul(a).mul(y.mul(-2.0).add(1.0)) : null};
                }
                case TANH_BACKWARD -> { // a * (1 - y^2)
                    Tensor a = ctx.saved(0), y = ctx.saved(1);
                    yield new Tensor[] {na ? binaryPrim(kind, g, y, 0) : null, nb ? g.mul(a).mul(y).mul(-2.0) : null};
                }
                case GELU_BACKWARD -> { // a * gelu'(x); gelu''(x) = phi(x) (2 - x^2)
                    Tensor a = ctx.saved(0), x = ctx.saved(1);
                    Tensor phi = x.square().mul(-0.5).exp().mul(1.0 / Math.sqrt(2 * Math.PI));
                    yield new Tensor[] {na ? binaryPrim(kind, g, x, 0) : null,
                            nb ? g.mul(a).mul(phi).mul(x.square().neg().add(2.0)) : null};
                }
                case SILU_BACKWARD -> { // silu''(x) = s (1 - s) (2 + x (1 - 2 s))
                    Tensor a = ctx.saved(0), x = ctx.saved(1);
                    Tensor s = x.sigmoid();
                    Tensor second = s.mul(s.neg().add(1.0)).mul(x.mul(s.mul(-2.0).add(1.0)).add(2.0));
                    yield new Tensor[] {na ? binaryPrim(kind, g, x, 0) : null, nb ? g.mul(a).mul(second) : null};
                }
                case SOFTPLUS_BACKWARD -> {
                    Tensor a = ctx.saved(0), x = ctx.saved(1);
                    Tensor s = x.sigmoid();
                    Tensor second = where(x.gt(20.0), s.zerosLike(), s.mul(s.neg().add(1.0)));
                    yield new Tensor[] {na ? binaryPrim(kind, g, x, 0) : null, nb ? g.mul(a).mul(second) : null};
                }
                case ELU_BACKWARD -> {
                    Tensor a = ctx.saved(0), x = ctx.saved(1);
                    Tensor second = where(x.gt(0.0), x.zerosLike(), x.exp().mul(p0));
                    yield new Tensor[] {na ? binaryPrim(kind, g, x, p0) : null, nb ? g.mul(a).mul(second) : null};
                }
                case GELU_TANH_BACKWARD -> throw new UnsupportedOperationException(
                        "geluTanhBackward: double backward through tanh-approximated GELU is not implemented; use exact gelu");
                default -> throw new IllegalStateException(name() + " is not differentiable");
            };
        }
    }

    /** {@code cond ? a : b} on same-shape inputs (a, b same dtype). */
    public record Where() implements dev.ember.autograd.Op {
        @Override
        public String name() {
            return "where";
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor out = Creation.uninitialized(in[1].shape(), in[1].dtype(), in[1].device());
            backend(out).where(in[0], in[1], in[2], out);
            ctx.save(in[0]);
            return out;
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor g) {
            Tensor c = ctx.saved(0);
            Tensor zero = g.zerosLike();
            return new Tensor[] {null, ctx.needsInputGrad(1) ? where(c, g, zero) : null,
                    ctx.needsInputGrad(2) ? where(c, zero, g) : null};
        }
    }

    /** Conversion to another dtype. */
    public record Cast(DType to) implements dev.ember.autograd.Op {
        @Override
        public String name() {
            return "to";
        }

        @Override
        public boolean differentiable() {
            return to.isFloating();
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor out = Creation.uninitialized(in[0].shape(), to, in[0].device());
            backend(out).copy(in[0], out);
            return out;
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor g) {
            DType from = ctx.inputDType(0);
            return new Tensor[] {from.isFloating() ? g.to(from) : null};
        }
    }

    /** A contiguous copy (clone); also the in-place copy of a same-shape, same-dtype source. */
    public record Copy() implements InPlaceOp {
        @Override
        public String name() {
            return "copy";
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor out = Creation.uninitialized(in[0].shape(), in[0].dtype(), in[0].device());
            backend(out).copy(in[0], out);
            return out;
        }

        @Override
        public void forwardInto(Context ctx, Tensor target, Tensor... in) {
            backend(target).copy(in[1], target);
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor g) {
            if (ctx.inputCount() == 1) return new Tensor[] {g};
            // In place: the target's old value was overwritten, the source received everything.
            return new Tensor[] {ctx.needsInputGrad(0) ? g.zerosLike() : null, ctx.needsInputGrad(1) ? g : null};
        }
    }

    /** Sets every element in place (out of place: a tensor of the value with x's shape). */
    public record Fill(double value) implements InPlaceOp {
        @Override
        public String name() {
            return "fill";
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor out = Creation.uninitialized(in[0].shape(), in[0].dtype(), in[0].device());
            backend(out).fill(out, value);
            return out;
        }

        @Override
        public void forwardInto(Context ctx, Tensor target, Tensor... in) {
            backend(target).fill(target, value);
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor g) {
            return new Tensor[] {g.zerosLike()};
        }
    }

    // =================================================================== promotion and broadcasting

    /** Runs a binary primitive directly on same-shape, same-dtype tensors (used by backward rules). */
    static Tensor binaryPrim(BinaryOp op, Tensor a, Tensor b, double p0) {
        return Dispatch.apply(new Binary(op, p0), a, b);
    }

    private static DType resultDType(BinaryOp op, Tensor a, Tensor b) {
        DType dt = DType.promote(a.dtype(), b.dtype());
        if (op == BinaryOp.DIV || op == BinaryOp.ATAN2) dt = dt.toFloating();
        if (dt == DType.BOOL && !op.boolResult()) {
            if (op == BinaryOp.SUB) {
                throw new IllegalArgumentException("sub: subtraction of bool tensors is not supported; use logicalXor, or convert with to(DType.INT64)");
            }
            if (op != BinaryOp.ADD && op != BinaryOp.MUL && op != BinaryOp.MAXIMUM && op != BinaryOp.MINIMUM) dt = DType.INT64;
        }
        return dt;
    }

    static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        DType dt = resultDType(op, a, b);
        if (op.boolResult()) dt = DType.promote(a.dtype(), b.dtype());
        if (a.dtype() != dt) a = a.to(dt);
        if (b.dtype() != dt) b = b.to(dt);
        Shape s = Shape.broadcast(a.shape(), b.shape(), opName(op));
        if (!a.shape().equals(s)) a = a.broadcastTo(s);
        if (!b.shape().equals(s)) b = b.broadcastTo(s);
        return Dispatch.apply(new Binary(op, 0), a, b);
    }

    /** A 0-d tensor holding {@code v} with the dtype a binary op with {@code like} should compute in. */
    static Tensor scalarFor(Tensor like, double v) {
        DType dt = like.dtype();
        if (!dt.isFloating() && v != Math.rint(v)) dt = DType.FLOAT32;
        else if (dt == DType.BOOL && v != 0 && v != 1) dt = DType.INT64;
        return Creation.full(Shape.SCALAR, v, dt);
    }

    static Tensor unary(UnaryOp op, Tensor x, double p0, double p1) {
        if (!op.integerClosed() && !x.dtype().isFloating()) x = x.to(DType.FLOAT32);
        if (op == UnaryOp.CLAMP && !x.dtype().isFloating() && (p0 != Math.rint(p0) && !Double.isNaN(p0)
                || p1 != Math.rint(p1) && !Double.isNaN(p1))) {
            x = x.to(DType.FLOAT32);
        }
        return Dispatch.apply(new Unary(op, p0, p1), x);
    }

    static Tensor unary(UnaryOp op, Tensor x) {
        return unary(op, x, 0, 0);
    }

    private static Tensor inPlaceBinary(BinaryOp op, Tensor target, Tensor other) {
        DType want = resultDType(op, target, other);
        if (want != target.dtype() && DType.promote(want, target.dtype()) != target.dtype()) {
            throw new IllegalArgumentException(opName(op) + "InPlace: result type " + want.pyName() + " can't be cast to the "
                    + "desired output type " + target.dtype().pyName());
        }
        if (other.dtype() != target.dtype()) other = other.to(target.dtype());
        if (!other.shape().equals(target.shape())) {
            Shape s = Shape.broadcast(target.shape(), other.shape(), opName(op) + "InPlace");
            if (!s.equals(target.shape())) {
                throw new IllegalArgumentException(opName(op) + "InPlace: output with shape " + target.shape()
                        + " doesn't match the broadcast shape " + s);
            }
            other = other.broadcastTo(s);
        }
        return Dispatch.applyInPlace(new Binary(op, 0), target, other);
    }

    // =================================================================== public functions

    public static Tensor add(Tensor a, Tensor b) {
        return binary(BinaryOp.ADD, a, b);
    }

    public static Tensor add(Tensor a, double v) {
        return binary(BinaryOp.ADD, a, scalarFor(a, v));
    }

    public static Tensor sub(Tensor a, Tensor b) {
        return binary(BinaryOp.SUB, a, b);
    }

    public static Tensor sub(Tensor a, double v) {
        return binary(BinaryOp.SUB, a, scalarFor(a, v));
    }

    public static Tensor mul(Tensor a, Tensor b) {
        return binary(BinaryOp.MUL, a, b);
    }

    public static Tensor mul(Tensor a, double v) {
        return binary(BinaryOp.MUL, a, scalarFor(a, v));
    }

    public static Tensor div(Tensor a, Tensor b) {
        return binary(BinaryOp.DIV, a, b);
    }

    public static Tensor div(Tensor a, double v) {
        return binary(BinaryOp.DIV, a, scalarFor(a, v));
    }

    public static Tensor pow(Tensor a, Tensor b) {
        return binary(BinaryOp.POW, a, b);
    }

    public static Tensor pow(Tensor a, double p) {
        if (!a.dtype().isFloating() && (p != Math.rint(p) || p < 0)) a = a.to(DType.FLOAT32);
        return Dispatch.apply(new Unary(UnaryOp.POW_SCALAR, p, 0), a);
    }

    /** {@code base ^ x} for a scalar base. */
    public static Tensor rpow(double base, Tensor x) {
        return unary(UnaryOp.RPOW_SCALAR, x, base, 0);
    }

    public static Tensor minimum(Tensor a, Tensor b) {
        return binary(BinaryOp.MINIMUM, a, b);
    }

    public static Tensor maximum(Tensor a, Tensor b) {
        return binary(BinaryOp.MAXIMUM, a, b);
    }

    public static Tensor remainder(Tensor a, Tensor b) {
        return binary(BinaryOp.REMAINDER, a, b);
    }

    public static Tensor atan2(Tensor a, Tensor b) {
        return binary(BinaryOp.ATAN2, a, b);
    }

    public static Tensor neg(Tensor x) {
        if (x.dtype() == DType.BOOL) throw new IllegalArgumentException("neg: negation of a bool tensor is not supported; use logicalNot");
        return unary(UnaryOp.NEG, x);
    }

    public static Tensor exp(Tensor x) {
        return unary(UnaryOp.EXP, x);
    }

    public static Tensor log(Tensor x) {
        return unary(UnaryOp.LOG, x);
    }

    public static Tensor log1p(Tensor x) {
        return unary(UnaryOp.LOG1P, x);
    }

    public static Tensor expm1(Tensor x) {
        return unary(UnaryOp.EXPM1, x);
    }

    public static Tensor sqrt(Tensor x) {
        return unary(UnaryOp.SQRT, x);
    }

    public static Tensor rsqrt(Tensor x) {
        return unary(UnaryOp.RSQRT, x);
    }

    public static Tensor square(Tensor x) {
        return unary(UnaryOp.SQUARE, x);
    }

    public static Tensor reciprocal(Tensor x) {
        return unary(UnaryOp.RECIPROCAL, x);
    }

    public static Tensor abs(Tensor x) {
        return unary(UnaryOp.ABS, x);
    }

    public static Tensor sign(Tensor x) {
        return unary(UnaryOp.SIGN, x);
    }

    public static Tensor sin(Tensor x) {
        return unary(UnaryOp.SIN, x);
    }

    public static Tensor cos(Tensor x) {
        return unary(UnaryOp.COS, x);
    }

    public static Tensor tanh(Tensor x) {
        return unary(UnaryOp.TANH, x);
    }

    public static Tensor sigmoid(Tensor x) {
        return unary(UnaryOp.SIGMOID, x);
    }

    public static Tensor relu(Tensor x) {
        return unary(UnaryOp.RELU, x);
    }

    public static Tensor gelu(Tensor x) {
        return unary(UnaryOp.GELU, x);
    }

    /** GELU with the tanh approximation (PyTorch {@code approximate='tanh'}). */
    public static Tensor geluTanh(Tensor x) {
        return unary(UnaryOp.GELU_TANH, x);
    }

    public static Tensor silu(Tensor x) {
        return unary(UnaryOp.SILU, x);
    }

    public static Tensor softplus(Tensor x) {
        return unary(UnaryOp.SOFTPLUS, x);
    }

    public static Tensor elu(Tensor x, double alpha) {
        return unary(UnaryOp.ELU, x, alpha, 0);
    }

    public static Tensor leakyRelu(Tensor x, double negativeSlope) {
        return unary(UnaryOp.LEAKY_RELU, x, negativeSlope, 0);
    }

    public static Tensor erf(Tensor x) {
        return unary(UnaryOp.ERF, x);
    }

    public static Tensor clamp(Tensor x, double min, double max) {
        if (!Double.isNaN(min) && !Double.isNaN(max) && min > max) {
            // PyTorch sets everything to max in this case; we follow it but keep the bounds visible in errors elsewhere.
            min = max;
        }
        return unary(UnaryOp.CLAMP, x, min, max);
    }

    public static Tensor floor(Tensor x) {
        return unary(UnaryOp.FLOOR, x);
    }

    public static Tensor ceil(Tensor x) {
        return unary(UnaryOp.CEIL, x);
    }

    public static Tensor round(Tensor x) {
        return unary(UnaryOp.ROUND, x);
    }

    public static Tensor trunc(Tensor x) {
        return unary(UnaryOp.TRUNC, x);
    }

    public static Tensor isnan(Tensor x) {
        return unary(UnaryOp.ISNAN, x);
    }

    public static Tensor eq(Tensor a, Tensor b) {
        return binary(BinaryOp.EQ, a, b);
    }

    public static Tensor eq(Tensor a, double v) {
        return binary(BinaryOp.EQ, a, scalarFor(a, v));
    }

    public static Tensor ne(Tensor a, Tensor b) {
        return binary(BinaryOp.NE, a, b);
    }

    public static Tensor ne(Tensor a, double v) {
        return binary(BinaryOp.NE, a, scalarFor(a, v));
    }

    public static Tensor lt(Tensor a, Tensor b) {
        return binary(BinaryOp.LT, a, b);
    }

    public static Tensor lt(Tensor a, double v) {
        return binary(BinaryOp.LT, a, scalarFor(a, v));
    }

    public static Tensor le(Tensor a, Tensor b) {
        return binary(BinaryOp.LE, a, b);
    }

    public static Tensor le(Tensor a, double v) {
        return binary(BinaryOp.LE, a, scalarFor(a, v));
    }

    public static Tensor gt(Tensor a, Tensor b) {
        return binary(BinaryOp.GT, a, b);
    }

    public static Tensor gt(Tensor a, double v) {
        return binary(BinaryOp.GT, a, scalarFor(a, v));
    }

    public static Tensor ge(Tensor a, Tensor b) {
        return binary(BinaryOp.GE, a, b);
    }

    public static Tensor ge(Tensor a, double v) {
        return binary(BinaryOp.GE, a, scalarFor(a, v));
    }

    public static Tensor logicalAnd(Tensor a, Tensor b) {
        return binary(BinaryOp.LOGICAL_AND, a, b);
    }

    public static Tensor logicalOr(Tensor a, Tensor b) {
        return binary(BinaryOp.LOGICAL_OR, a, b);
    }

    public static Tensor logicalXor(Tensor a, Tensor b) {
        return binary(BinaryOp.LOGICAL_XOR, a, b);
    }

    public static Tensor logicalNot(Tensor x) {
        return Dispatch.apply(new Unary(UnaryOp.LOGICAL_NOT, 0, 0), x);
    }

    /** {@code cond ? a : b} with broadcasting of all three and promotion of a and b. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        if (cond.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("where: condition must be a bool tensor, got " + cond.dtype().pyName()
                    + ". Hint: compare first, e.g. x.gt(0)");
        }
        DType dt = DType.promote(a.dtype(), b.dtype());
        if (a.dtype() != dt) a = a.to(dt);
        if (b.dtype() != dt) b = b.to(dt);
        Shape s = Shape.broadcast(Shape.broadcast(cond.shape(), a.shape(), "where"), b.shape(), "where");
        if (!cond.shape().equals(s)) cond = cond.broadcastTo(s);
        if (!a.shape().equals(s)) a = a.broadcastTo(s);
        if (!b.shape().equals(s)) b = b.broadcastTo(s);
        return Dispatch.apply(new Where(), cond, a, b);
    }

    /** {@code cond ? a : value}. */
    public static Tensor where(Tensor cond, Tensor a, double value) {
        return where(cond, a, scalarFor(a, value));
    }

    public static Tensor cast(Tensor x, DType dtype) {
        return Dispatch.apply(new Cast(dtype), x);
    }

    public static Tensor copy(Tensor x) {
        return Dispatch.apply(new Copy(), x);
    }

    public static Tensor copyInPlace(Tensor target, Tensor src) {
        if (src.dtype() != target.dtype()) src = src.to(target.dtype());
        if (!src.shape().equals(target.shape())) {
            Shape s = Shape.broadcast(target.shape(), src.shape(), "copyFrom");
            if (!s.equals(target.shape())) {
                throw new IllegalArgumentException("copyFrom: source of shape " + src.shape() + " cannot be broadcast to the target's shape "
                        + target.shape());
            }
            src = src.broadcastTo(s);
        }
        return Dispatch.applyInPlace(new Copy(), target, src);
    }

    public static Tensor addInPlace(Tensor t, Tensor o) {
        return inPlaceBinary(BinaryOp.ADD, t, o);
    }

    public static Tensor addInPlace(Tensor t, double v) {
        return inPlaceBinary(BinaryOp.ADD, t, scalarFor(t, v));
    }

    public static Tensor subInPlace(Tensor t, Tensor o) {
        return inPlaceBinary(BinaryOp.SUB, t, o);
    }

    public static Tensor subInPlace(Tensor t, double v) {
        return inPlaceBinary(BinaryOp.SUB, t, scalarFor(t, v));
    }

    public static Tensor mulInPlace(Tensor t, Tensor o) {
        return inPlaceBinary(BinaryOp.MUL, t, o);
    }

    public static Tensor mulInPlace(Tensor t, double v) {
        return inPlaceBinary(BinaryOp.MUL, t, scalarFor(t, v));
    }

    public static Tensor divInPlace(Tensor t, Tensor o) {
        return inPlaceBinary(BinaryOp.DIV, t, o);
    }

    public static Tensor divInPlace(Tensor t, double v) {
        return inPlaceBinary(BinaryOp.DIV, t, scalarFor(t, v));
    }

    public static Tensor fillInPlace(Tensor t, double v) {
        return Dispatch.applyInPlace(new Fill(v), t);
    }

    public static Tensor reluInPlace(Tensor t) {
        return Dispatch.applyInPlace(new Unary(UnaryOp.RELU, 0, 0), t);
    }

    public static Tensor clampInPlace(Tensor t, double min, double max) {
        return Dispatch.applyInPlace(new Unary(UnaryOp.CLAMP, min, max), t);
    }
}
