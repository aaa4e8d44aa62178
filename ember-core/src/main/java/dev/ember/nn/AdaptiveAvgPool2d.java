package dev.ember.nn;

import dev.ember.ops.Pooling;
import dev.ember.tensor.Tensor;

/**
 * Average pooling to a fixed output size whatever the input's height and width, e.g. the global
 * average pool before a ResNet's classifier: {@code new AdaptiveAvgPool2d(1)} maps [N, C, H, W] to
 * [N, C, 1, 1].
 *
 * <pre>{@code
 * Tensor y = new AdaptiveAvgPool2d(1).forward(Tensor.randn(8, 128, 8, 8));   // [8, 128, 1, 1]
 * }</pre>
 */
public final class AdaptiveAvgPool2d extends Module {
    public final int outputH, outputW;

    public AdaptiveAvgPool2d(int outputSize) {
        this(outputSize, outputSize);
    }

    public AdaptiveAvgPool2d(int outputH, int outputW) {
        if (outputH < 1 || outputW < 1) {
            throw new IllegalArgumentException("AdaptiveAvgPool2d: output size must be positive, got " + outputH + "x" + outputW);
        }
        this.outputH = outputH;
        this.outputW = outputW;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Pooling.adaptiveAvgPool2d(x, outputH, outputW);
    }

    @Override
    protected String extraRepr() {
        return "output_size=" + (outputH == outputW ? Integer.toString(outputH) : "(" + outputH + ", " + outputW + ")");
    }
}
