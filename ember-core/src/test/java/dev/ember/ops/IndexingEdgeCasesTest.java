package dev.ember.ops;

import dev.ember.tensor.DType;
import dev.ember.tensor.PadMode;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Empty tensors, 0-d tensors, non-float dtypes and aliasing of the indexing, joining and shape ops. */
class IndexingEdgeCasesTest {
    private static final Tensor X = Tensor.arange(0, 12, 1).to(DType.FLOAT32).reshape(3, 4);

    @Test
    void emptyTensors() {
        assertEquals(Shape.of(3, 0), X.gather(1, Tensor.zeros(Shape.of(3, 0), DType.INT64)).shape());
        assertArrayEquals(X.toFloatArray(), X.scatterAdd(0, Tensor.zeros(Shape.of(0, 4), DType.INT64), Tensor.zeros(0, 4)).toFloatArray());
        assertEquals(Shape.of(0, 4), X.indexSelect(0, Tensor.of(new long[0])).shape());
        assertEquals(Shape.of(0, 3), Tensor.oneHot(Tensor.of(new long[0]), 3).shape());
        assertEquals(Shape.of(0), Tensor.cat(List.of(Tensor.zeros(0), Tensor.zeros(0)), 0).shape());
        assertEquals(Shape.of(3, 4), Tensor.cat(List.of(Tensor.zeros(3, 0), X, Tensor.zeros(0)), 1).shape());
        assertEquals(Shape.of(2, 5), Tensor.zeros(0, 3).pad(1, 1, 1, 1).shape());
        assertArrayEquals(new float[10], Tensor.zeros(0, 3).pad(1, 1, 1, 1).toFloatArray());
        assertEquals(Shape.of(0, 3), Tensor.zeros(0, 3).flip(0, 1).shape());
        assertEquals(Shape.of(3, 0), Tensor.zeros(3, 0).tril().shape());
        assertEquals(Shape.of(0, 3), Tensor.zeros(0, 3).triu(2).shape());
        assertEquals(Shape.of(0, 8), X.repeat(0, 2).shape());
        List<Tensor> chunks = Tensor.zeros(2, 0).chunk(3, 1);
        assertEquals(3, chunks.size());
        for (Tensor c : chunks) assertEquals(Shape.of(2, 0), c.shape());
        assertEquals(1, Tensor.zeros(0).split(0, 0).size());
        assertEquals(Shape.of(0, 2, 4), Tensor.stack(List.of(Tensor.zeros(0, 4), Tensor.zeros(0, 4)), 1).shape());
    }

    @Test
    void zeroDimensionalTensors() {
        Tensor s = Tensor.scalar(5);
        assertEquals(5.0, s.gather(0, Tensor.scalar(0, DType.INT64)).item());
        assertEquals(Shape.SCALAR, s.gather(-1, Tensor.scalar(0, DType.INT64)).shape());
        assertEquals(Shape.of(1), s.gather(0, Tensor.of(new long[] {0})).shape());
        assertEquals(Shape.SCALAR, X.select(0, 0).gather(0, Tensor.scalar(3, DType.INT64)).shape());
        assertEquals(3.0, X.select(0, 0).gather(0, Tensor.scalar(3, DType.INT64)).item());
        assertEquals(5.0, s.indexSelect(0, Tensor.of(new long[] {0})).item());
        assertEquals(Shape.SCALAR, s.indexSelect(0, Tensor.scalar(0, DType.INT64)).shape());
        assertEquals(7.0, s.scatter(0, Tensor.scalar(0, DType.INT64), Tensor.scalar(7)).item());
        assertEquals(12.0, s.scatterAdd(0, Tensor.scalar(0, DType.INT64), Tensor.scalar(7)).item());
        assertEquals(5.0, s.flip(0).item());
        assertEquals(5.0, s.pad().item());
        assertEquals(Shape.of(2, 3), s.repeat(2, 3).shape());
        assertEquals(-1.0, s.maskedFill(Tensor.of(new boolean[] {true}).reshape(), -1).item());
        assertEquals(Shape.of(3), Tensor.oneHot(Tensor.scalar(2, DType.INT64), -1).shape());
        assertEquals(Shape.of(2), Tensor.stack(List.of(s, s), 0).shape());
        Tensor leaf = Tensor.scalar(2, DType.FLOAT64).requiresGrad(true);
        Tensor.stack(List.of(leaf, leaf.mul(3.0)), 0).sum().backward();
        assertEquals(4.0, leaf.grad().item());
    }

    @Test
    void integerAndBoolDTypes() {
        Tensor ints = Tensor.of(new long[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor idx = Tensor.of(new long[] {2, 0}, 2, 1);
        assertArrayEquals(new long[] {3, 4}, ints.gather(1, idx).toLongArray());
        assertEquals(DType.INT32, ints.to(DType.INT32).gather(1, idx).dtype());
        assertArrayEquals(new long[] {0, 1}, ints.gt(3.0).gather(1, idx.to(DType.INT32)).toLongArray());
        Tensor labels = Tensor.of(new long[] {0, 2, 2, 1, 2});
        Tensor counts = Tensor.zeros(Shape.of(3), DType.INT64).scatterAdd(0, labels, labels.onesLike());
        assertArrayEquals(new long[] {1, 1, 3}, counts.toLongArray());
        Tensor reflected = Tensor.of(new int[] {1, 2, 3}).pad(new int[] {2, 2}, PadMode.REFLECT);
        assertArrayEquals(new long[] {3, 2, 1, 2, 3, 2, 1}, reflected.toLongArray());
        assertEquals(DType.INT32, reflected.dtype());
        assertArrayEquals(new long[] {0, 1, 1}, Tensor.of(new boolean[] {true, true, false}).flip(0).toLongArray());
        assertArrayEquals(new long[] {1, 0, 0, 4, 5, 0}, ints.tril().toLongArray());
        assertEquals(DType.BOOL, Tensor.cat(List.of(ints.gt(2.0), ints.lt(2.0)), 0).dtype());
        assertEquals(DType.INT64, Tensor.cat(List.of(ints.to(DType.INT32), ints), 0).dtype());
        assertEquals(DType.FLOAT32, Tensor.cat(List.of(ints, X.narrow(1, 0, 3).narrow(0, 0, 2)), 0).dtype());
        assertArrayEquals(new long[] {7, 2, 3, 4, 5, 7}, ints.maskedFill(ints.eq(1.0).logicalOr(ints.eq(6.0)), 7).toLongArray());
    }

    @Test
    void viewsAndCopies() {
        Tensor base = X.copy();
        List<Tensor> parts = base.split(2, 1);
        parts.get(1).fillInPlace(-1); // split pieces are views
        assertEquals(-1.0, base.get(0, 3));
        Tensor repeated = base.repeat(1, 1);
        assertNotSame(base.storage(), repeated.storage());
        repeated.fillInPlace(9);
        assertEquals(0.0, base.get(0, 0));
        assertSame(base, base.split(4, 1).get(0), "a single piece covering everything is the tensor itself");
    }

    @Test
    void kernelsWriteIntoAndReadFromStridedViews() {
        Tensor base = Tensor.zeros(4, 3);
        Tensor view = base.t(); // [3, 4], not contiguous
        view.scatterInPlace(1, Tensor.of(new long[] {3, 0, 2}, 3, 1), Tensor.of(new float[] {1, 2, 3}, 3, 1));
        assertEquals(1.0, base.get(3, 0));
        assertEquals(2.0, base.get(0, 1));
        assertEquals(3.0, base.get(2, 2));
        assertEquals(6.0, base.sum().item(), "nothing else written");

        Tensor g = Tensor.arange(0, 24, 1).to(DType.FLOAT64).reshape(4, 6);
        var op = new ShapeOps.PadBackward(new int[] {1, 2}, new int[] {0, 1}, PadMode.REFLECT, Shape.of(3, 3));
        Tensor fromView = dev.ember.autograd.Dispatch.apply(op, g.t().copy().t());
        assertArrayEquals(dev.ember.autograd.Dispatch.apply(op, g).toDoubleArray(), fromView.toDoubleArray());
        assertArrayEquals(g.flip(1).toDoubleArray(), g.t().flip(0).t().toDoubleArray());
    }

    @Test
    void gradientsAccumulateOverRepeatedUse() {
        Tensor a = Tensor.ones(Shape.of(2, 2), DType.FLOAT64).requiresGrad(true);
        Tensor.cat(List.of(a, a, a.mul(2.0)), 0).sum().backward();
        assertArrayEquals(new double[] {4, 4, 4, 4}, a.grad().toDoubleArray());

        Tensor b = Tensor.ones(Shape.of(3), DType.FLOAT64).requiresGrad(true);
        b.index(Tensor.of(new long[] {0, 0, -1, 2, 0})).sum().backward();
        assertArrayEquals(new double[] {3, 0, 2}, b.grad().toDoubleArray());
    }
}
