package dev.ember.ops;

import dev.ember.tensor.Generator;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Copying a transposed float matrix view (the blocked-transpose path) gives element for element the
 * view's values, for sizes around the 16 x 16 blocks, padded leading dimensions and offset views.
 */
class CopyTransposedTest {
    @Test
    void copiesOfTransposedViewsHoldTheViewsValues() {
        Generator g = new Generator(21);
        int[] sizes = {2, 3, 15, 16, 17, 33, 64, 100};
        for (int r : sizes) {
            for (int c : sizes) {
                int pad = g.nextInt(3), skip = g.nextInt(2);
                Tensor base = Tensor.randn(g, Shape.of(c + skip, r + pad), dev.ember.tensor.DType.FLOAT32);
                Tensor view = base.narrow(0, skip, c).narrow(1, 0, r).transpose(0, 1); // [r, c], strides [1, r + pad]
                Tensor copy = view.copy();
                assertEquals(Shape.of(r, c), copy.shape());
                float[] got = copy.toFloatArray();
                for (int i = 0; i < r; i++) {
                    for (int j = 0; j < c; j++) {
                        assertEquals(base.get(j + skip, i), got[i * c + j], 0f, r + "x" + c + " at (" + i + ", " + j + ")");
                    }
                }
            }
        }
    }
}
