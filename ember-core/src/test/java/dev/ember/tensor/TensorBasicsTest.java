package dev.ember.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TensorBasicsTest {
    @Test
    void creationFactories() {
        assertArrayEquals(new float[] {0, 0, 0, 0}, Tensor.zeros(2, 2).toFloatArray());
        assertArrayEquals(new float[] {1, 1, 1}, Tensor.ones(3).toFloatArray());
        assertArrayEquals(new float[] {7, 7}, Tensor.full(7, 2).toFloatArray());
        assertArrayEquals(new long[] {0, 1, 2, 3, 4}, Tensor.arange(5).toLongArray());
        assertEquals(DType.INT64, Tensor.arange(5).dtype());
        assertArrayEquals(new float[] {0f, 0.5f, 1f, 1.5f}, Tensor.arange(0, 2, 0.5).toFloatArray());
        assertArrayEquals(new float[] {0f, 0.25f, 0.5f, 0.75f, 1f}, Tensor.linspace(0, 1, 5).toFloatArray());
        assertArrayEquals(new float[] {1, 0, 0, 1}, Tensor.eye(2).toFloatArray());
        assertEquals(Shape.SCALAR, Tensor.scalar(3).shape());
        assertEquals(3.0, Tensor.scalar(3).item());
        assertEquals(Shape.of(2, 3), Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}}).shape());
    }

    @Test
    void randomIsSeeded() {
        Tensor a = Tensor.randn(new Generator(5), Shape.of(100), DType.FLOAT32);
        Tensor b = Tensor.randn(new Generator(5), Shape.of(100), DType.FLOAT32);
        assertArrayEquals(a.toFloatArray(), b.toFloatArray());
        double mean = a.mean().item();
        assertTrue(Math.abs(mean) < 0.3, "mean " + mean);
        Tensor r = Tensor.randint(new Generator(1), 3, 7, Shape.of(1000));
        assertTrue(r.min().itemLong() >= 3 && r.max().itemLong() <= 6);
        Tensor u = Tensor.rand(new Generator(2), Shape.of(1000), DType.FLOAT64);
        assertTrue(u.min().item() >= 0 && u.max().item() < 1);
    }

    @Test
    void generatorStateRoundTrip() {
        Generator g = new Generator(9);
        g.nextGaussian();
        long[] st = g.state();
        double a = g.nextGaussian(), b = g.nextDouble();
        Generator h = new Generator(0);
        h.setState(st);
        assertEquals(a, h.nextGaussian());
        assertEquals(b, h.nextDouble());
    }

    @Test
    void viewsShareStorage() {
        Tensor x = Tensor.arange(0, 24, 1).to(DType.FLOAT32).reshape(2, 3, 4);
        Tensor p = x.permute(2, 0, 1);
        assertSame(x.storage(), p.storage());
        assertEquals(Shape.of(4, 2, 3), p.shape());
        assertFalse(p.isContiguous());
        assertEquals(x.get(1, 2, 3), p.get(3, 1, 2));
        Tensor s = x.slice(2, 1, 4, 2);
        assertEquals(Shape.of(2, 3, 2), s.shape());
        assertEquals(x.get(1, 1, 3), s.get(1, 1, 1));
        Tensor sel = x.select(1, -1);
        assertEquals(Shape.of(2, 4), sel.shape());
        assertEquals(x.get(0, 2, 1), sel.get(0, 1));
        Tensor e = Tensor.of(new float[] {1, 2, 3}).unsqueeze(1).expand(3, 4);
        assertEquals(0, e.stride(1));
        assertArrayEquals(new float[] {1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3}, e.toFloatArray());
        assertEquals(Shape.of(2, 12), x.flatten(1, 2).shape());
        assertEquals(Shape.of(2, 3, 2, 2), x.unflatten(2, 2, -1).shape());
        assertEquals(Shape.of(3, 4), Tensor.zeros(1, 3, 1, 4).squeeze().shape());
    }

    @Test
    void writesThroughViewsAreVisible() {
        Tensor x = Tensor.zeros(3, 4);
        x.narrow(1, 1, 2).fillInPlace(5);
        assertArrayEquals(new float[] {0, 5, 5, 0, 0, 5, 5, 0, 0, 5, 5, 0}, x.toFloatArray());
        x.t().select(0, 0).addInPlace(1);
        assertArrayEquals(new float[] {1, 5, 5, 0, 1, 5, 5, 0, 1, 5, 5, 0}, x.toFloatArray());
    }

    @Test
    void reshapeCopiesOnlyWhenNeeded() {
        Tensor x = Tensor.arange(0, 12, 1).to(DType.FLOAT32).reshape(3, 4);
        assertSame(x.storage(), x.reshape(4, 3).storage());
        Tensor t = x.t();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.view(12));
        assertTrue(e.getMessage().startsWith("view: shape [12] is not compatible"), e.getMessage());
        Tensor r = t.reshape(12);
        assertArrayEquals(new float[] {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, r.toFloatArray());
        // Views across merged dims of a non-contiguous tensor, as PyTorch's view allows.
        Tensor y = Tensor.zeros(4, 6).slice(1, 0, 6, 2); // [4, 3] with strides (6, 2)
        assertEquals(Shape.of(2, 2, 3), y.view(2, 2, 3).shape());
    }

    @Test
    void broadcastingAndPromotion() {
        Tensor a = Tensor.ones(2, 3);
        Tensor b = Tensor.of(new float[] {1, 2, 3});
        assertArrayEquals(new float[] {2, 3, 4, 2, 3, 4}, a.add(b).toFloatArray());
        Tensor i = Tensor.of(new long[] {1, 2, 3});
        assertEquals(DType.INT64, i.add(i).dtype());
        assertEquals(DType.FLOAT32, i.add(b).dtype());
        assertEquals(DType.FLOAT32, i.div(i).dtype());
        assertEquals(DType.FLOAT32, i.mul(0.5).dtype());
        assertEquals(DType.INT64, i.mul(2).dtype());
        assertEquals(DType.FLOAT64, b.to(DType.FLOAT64).add(b).dtype());
        assertEquals(DType.FLOAT32, b.mul(0.5).dtype(), "a Java scalar never widens a float tensor");
        assertEquals(DType.BOOL, b.gt(i).dtype());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.ones(2, 3).add(Tensor.ones(4)));
        assertEquals("add: shapes [2, 3] and [4] cannot be broadcast (dimension 1: 3 vs 4)", e.getMessage());
    }

    @Test
    void integerArithmeticIsExact() {
        Tensor big = Tensor.of(new long[] {(1L << 60) + 1});
        assertEquals((1L << 61) + 2, big.add(big).itemLong());
        assertArrayEquals(new long[] {2, -1, 3}, dev.ember.ops.Elementwise.remainder(Tensor.of(new long[] {7, -7, -7}), Tensor.of(new long[] {5, 4, 5}))
                .add(Tensor.of(new long[] {0, -2, 0})).toLongArray());
    }

    @Test
    void emptyAndScalarTensors() {
        Tensor e = Tensor.zeros(0, 3);
        assertEquals(0, e.numel());
        assertEquals(Shape.of(3), e.sum(0).shape());
        assertArrayEquals(new float[] {0, 0, 0}, e.sum(0).toFloatArray());
        assertEquals(Shape.of(0, 3), e.add(1).shape());
        Tensor s = Tensor.scalar(2);
        assertEquals(Shape.SCALAR, s.mul(s).shape());
        assertEquals(4.0, s.mul(s).item());
        assertEquals(Shape.of(3), s.add(Tensor.ones(3)).shape());
        assertThrows(IllegalArgumentException.class, () -> e.max(new int[] {0}, false));
        assertThrows(IllegalStateException.class, () -> Tensor.ones(2).item());
    }

    @Test
    void matmulErrorsNameShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(128, 784).matmul(Tensor.zeros(256, 10)));
        assertEquals("matmul: shapes [128, 784] and [256, 10] cannot be multiplied (784 != 256)", e.getMessage());
    }

    @Test
    void inPlaceOpsCheckShapesAndTypes() {
        Tensor x = Tensor.zeros(2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.addInPlace(Tensor.ones(4, 2, 3)));
        assertTrue(e.getMessage().contains("doesn't match the broadcast shape"), e.getMessage());
        Tensor i = Tensor.of(new long[] {1, 2});
        assertThrows(IllegalArgumentException.class, () -> i.addInPlace(0.5));
    }

    @Test
    void toStringLooksLikePyTorch() {
        assertEquals("tensor([[1., 2.],\n        [3., 4.]], shape=[2, 2])", Tensor.of(new float[] {1, 2, 3, 4}, 2, 2).toString());
        assertEquals("tensor([0.5000, 1.2500], shape=[2])", Tensor.of(new float[] {0.5f, 1.25f}).toString());
        assertEquals("tensor([1, 2], shape=[2], dtype=int64)", Tensor.of(new long[] {1, 2}).toString());
        assertEquals("tensor([ true, false], shape=[2], dtype=bool)", Tensor.of(new boolean[] {true, false}).toString());
        String big = Tensor.zeros(2000).toString();
        assertTrue(big.contains("..."), big);
        assertTrue(Tensor.ones(2).requiresGrad(true).toString().endsWith("requiresGrad=true)"));
    }

    @Test
    void reductionsOverDims() {
        Tensor x = Tensor.arange(0, 24, 1).to(DType.FLOAT32).reshape(2, 3, 4);
        assertArrayEquals(new float[] {60, 66, 72, 78}, x.sum(0, 1).toFloatArray());
        assertEquals(Shape.of(2, 1, 4), x.sum(new int[] {1}, true).shape());
        assertArrayEquals(new long[] {3, 3, 3, 3, 3, 3}, x.argmax(2, false).toLongArray());
        assertArrayEquals(new float[] {11, 23}, x.max(new int[] {1, 2}, false).toFloatArray());
        assertEquals(Tensor.of(new float[] {1, 2, 3, 4}).var().item(), 1.6666666, 1e-6);
        assertTrue(Tensor.of(new boolean[] {true, true}).all().itemLong() == 1);
        assertEquals(DType.INT64, Tensor.of(new int[] {1, 2}).sum().dtype());
        // Reduction of a transposed view.
        assertArrayEquals(new float[] {6, 22, 38}, x.select(0, 0).t().sum(0).toFloatArray());
    }
}
