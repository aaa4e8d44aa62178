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
