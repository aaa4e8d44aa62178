package dev.ember.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link VectorMath#exp} (our own, so every JIT tier computes the same) against {@code Math.exp} rounded
 * to float: within 1 ulp over the whole float range (normal and denormal results), exact at the
 * special values; and {@link VectorMath#sumLanes} against its halves order.
 */
class VectorExpTest {
    private static float[] exp(float[] x) {
        int l = VectorMath.S.length();
        float[] in = new float[(x.length + l - 1) / l * l], out = new float[in.length];
        System.arraycopy(x, 0, in, 0, x.length);
        for (int i = 0; i < in.length; i += l) VectorMath.exp(FloatVector.fromArray(VectorMath.S, in, i)).intoArray(out, i);
        return out;
    }

    private static void within1Ulp(float x, float got) {
        float want = (float) Math.exp(x);
        if (want == 0f || Float.isInfinite(want)) {
            // At the ends of the range, the neighbour of 0 or of MAX_VALUE is allowed.
            assertTrue(Math.abs(got - want) <= Float.MIN_VALUE || got == want || (Float.isInfinite(want) && got >= Math.nextDown(Float.MAX_VALUE)),
                    "exp(" + x + ") = " + got + ", want " + want);
            return;
        }
        float ulp = Math.ulp(want);
        assertTrue(Math.abs(got - want) <= ulp, "exp(" + x + ") = " + got + ", want " + want + " (" + Math.abs(got - want) / ulp + " ulp)");
    }

    @Test
    void withinOneUlpOverTheWholeRange() {
        Assumptions.assumeTrue(Simd.AVAILABLE, "the Vector API module is not loaded in this JVM");
        Random r = new Random(11);
        float[] x = new float[200_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = switch (i % 4) {
                case 0 -> -110f + 200f * r.nextFloat();     // everything, to both overflow ends
                case 1 -> -2f + 4f * r.nextFloat();         // near zero
                case 2 -> -104f + 17f * r.nextFloat();      // denormal and small normal results
                default -> 80f + 9f * r.nextFloat();        // near overflow
            };
        }
        float[] y = exp(x);
        for (int i = 0; i < x.length; i++) within1Ulp(x[i], y[i]);
    }

    @Test
    void specialValues() {
        Assumptions.assumeTrue(Simd.AVAILABLE, "the Vector API module is not loaded in this JVM");
        float[] x = {0f, -0f, 1f, -1f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 88.72283f, 88.7229f, -87.33655f,
            -103.27893f, -103.972f, -104.5f, 1e-10f, -1e-10f, Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE};
        float[] y = exp(x);
        assertEquals(1f, y[0]);
        assertEquals(1f, y[1]);
        assertTrue(Float.isNaN(y[4]), "NaN in, NaN out");
        assertEquals(Float.POSITIVE_INFINITY, y[5]);
        assertEquals(0f, y[6]);
        assertEquals(Float.POSITIVE_INFINITY, y[16]);
        assertEquals(0f, y[17]);
        for (int i = 0; i < x.length; i++) if (!Float.isNaN(x[i]) && !Float.isInfinite(x[i])) within1Ulp(x[i], y[i]);
    }

    @Test
    void laneSumsAddHalvesFirst() {
        Assumptions.assumeTrue(Simd.AVAILABLE, "the Vector API module is not loaded in this JVM");
        Random r = new Random(5);
        // Every float species: the reductions use the preferred one and 256-bit vectors.
        for (var species : java.util.List.of(FloatVector.SPECIES_64, FloatVector.SPECIES_128, FloatVector.SPECIES_256,
                FloatVector.SPECIES_512)) {
            int l = species.length();
            for (int trial = 0; trial < 1000; trial++) {
                float[] v = new float[l];
                for (int i = 0; i < l; i++) v[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(7) - 3));
                float[] w = v.clone();
                for (int half = l / 2; half >= 1; half /= 2) {
                    for (int i = 0; i < half; i++) w[i] = w[i] + w[i + half];
                }
                assertEquals(w[0], VectorMath.sumLanes(FloatVector.fromArray(species, v, 0)), species + " trial " + trial);
            }
        }
    }
}
