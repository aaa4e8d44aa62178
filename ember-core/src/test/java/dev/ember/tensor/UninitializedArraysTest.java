package dev.ember.tensor;

import dev.ember.ops.Creation;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The test suite runs as {@code ./ember} does, with the JDK's allocator for unzeroed arrays, and with
 * every such array poisoned with NaN, so that an op whose kernel leaves part of an uninitialized output
 * unwritten fails its own tests. These check that both are in force, and that the storage is right.
 */
class UninitializedArraysTest {
    @Test
    void theSuiteRunsWithTheUnzeroedAllocatorAndPoison() {
        assertTrue(UninitializedArrays.available(),
                "the test JVM lacks --add-exports java.base/jdk.internal.misc=ALL-UNNAMED (pom.xml ember.jvm.flags)");
        assertEquals("true", System.getProperty("ember.poisonUninitialized"), "pom.xml's surefire argLine sets the poison");
        for (int n : new int[] {1, 17, 1000, 1 << 20}) {
            float[] f = UninitializedArrays.floats(n);
            double[] d = UninitializedArrays.doubles(n);
            assertEquals(n, f.length);
            assertEquals(n, d.length);
            for (int i = 0; i < n; i++) {
                assertTrue(Float.isNaN(f[i]) && Double.isNaN(d[i]), "element " + i + " of " + n + " is not poisoned");
            }
        }
        assertEquals(0, UninitializedArrays.floats(0).length);
    }

    @Test
    void recycledArraysServeTheNextRequestOfTheirLengthPoisoned() {
        assertEquals("1", System.getProperty("ember.recycleMinFloats"), "pom.xml's surefire argLine recycles every buffer");
        float[] a = new float[12345];
        java.util.Arrays.fill(a, 7f);
        UninitializedArrays.recycle(a);
        float[] b = UninitializedArrays.floats(12345);
        assertTrue(a == b, "the recycled array comes back for its length");
        for (float v : b) assertTrue(Float.isNaN(v));
        assertTrue(UninitializedArrays.floats(12345) != a, "and only once");
    }

    @Test
    void gradientsTheUserCanStillSeeAreNeverRecycled() {
        // Every gradient buffer the engine consumes is recycled (and poisoned) in the tests; the ones a user
        // holds (retained, hooked, leaves' grads) and the caller's own gradient must survive intact.
        Tensor x = Tensor.of(new float[] {1f, -2f, 3f, -4f}, 2, 2).requiresGrad(true);
        Tensor y = x.mul(Tensor.scalar(2f)).relu();
        y.retainGrad();
        Tensor[] hooked = new Tensor[1];
        Tensor z = y.mul(Tensor.scalar(3f));
        z.registerHook(g -> {
            hooked[0] = g;
            return null;
        });
        Tensor w = z.mul(Tensor.scalar(0.5f));
        Tensor seed = Tensor.of(new float[] {1f, 1f, 1f, 1f}, 2, 2);
        w.backward(seed);
        assertEquals(java.util.List.of(0.5, 0.5, 0.5, 0.5), doubles(hooked[0]));
        assertEquals(java.util.List.of(1.5, 1.5, 1.5, 1.5), doubles(y.grad()));
        assertEquals(java.util.List.of(3.0, 0.0, 3.0, 0.0), doubles(x.grad()));
        assertEquals(java.util.List.of(1.0, 1.0, 1.0, 1.0), doubles(seed));
    }

    private static java.util.List<Double> doubles(Tensor t) {
        java.util.List<Double> r = new java.util.ArrayList<>();
        for (double v : t.toDoubleArray()) r.add(v);
        return r;
    }

    @Test
    void uninitializedTensorsHaveTheAskedShapeDtypeAndAreContiguous() {
        for (DType dt : DType.values()) {
            Tensor t = Creation.uninitialized(Shape.of(3, 4), dt, Device.CPU);
            assertEquals(Shape.of(3, 4), t.shape());
            assertEquals(dt, t.dtype());
            assertTrue(t.isContiguous());
            if (dt == DType.FLOAT32 || dt == DType.FLOAT64) {
                for (double v : t.toDoubleArray()) assertTrue(Double.isNaN(v));
            } else {
                for (double v : t.toDoubleArray()) assertEquals(0.0, v, "non-float dtypes are zeroed");
            }
        }
    }
}
