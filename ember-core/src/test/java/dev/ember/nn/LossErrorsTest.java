package dev.ember.nn;

import dev.ember.tensor.DType;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad loss inputs fail with an IllegalArgumentException naming the loss and the offending dtype, shape or value. */
class LossErrorsTest {
    private static void fails(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "message lacks '" + f + "': " + e.getMessage());
    }

    private static final Tensor LOGITS = Tensor.randn(3, 5);
    private static final Tensor LABELS = Tensor.of(new long[] {0, 4, 2}, 3);

    @Test
    void crossEntropyTargetDtype() {
        fails(() -> Losses.crossEntropy(LOGITS, Tensor.of(new float[] {0, 4, 2}, 3)),
                "crossEntropy: class-index targets must be int64 or int32, got float32 [3]", "[3, 5]");
        fails(() -> Losses.crossEntropy(LOGITS, Tensor.zeros(Shape.of(3, 5), DType.INT64)),
                "crossEntropy: a target of the logits' shape [3, 5] holds class probabilities and must be floating point, got int64",
                "class indices have shape [3]");
        fails(() -> Losses.crossEntropy(LABELS, LABELS), "crossEntropy: logits must be floating point, got int64");
        fails(() -> Losses.nllLoss(LOGITS, Tensor.of(new float[] {0, 1, 2}, 3)), "nllLoss: target must hold class indices", "float32");
    }

    @Test
    void crossEntropyShapeMismatch() {
        fails(() -> Losses.crossEntropy(LOGITS, Tensor.of(new long[] {0, 1, 2, 3}, 4)),
                "crossEntropy: target shape [4] does not match input shape [3, 5]", "must have shape [3]");
        fails(() -> Losses.crossEntropy(Tensor.randn(2, 4, 3, 3), Tensor.zeros(Shape.of(2, 3), DType.INT64)),
                "target shape [2, 3]", "must have shape [2, 3, 3]");
        fails(() -> Losses.crossEntropy(Tensor.scalar(1.0), Tensor.scalar(0, DType.INT64)), "crossEntropy: logits must have a class dimension");
        fails(() -> Losses.nllLoss(Tensor.randn(4), Tensor.of(new long[] {1}, 1)), "nllLoss: target shape [1]", "must have shape []");
    }

    @Test
    void classIndexOutOfRangeNamesIndexAndC() {
        // fused path, composite (weighted) path, K-dim, nllLoss: the same message
        fails(() -> Losses.crossEntropy(LOGITS, Tensor.of(new long[] {0, 5, 2}, 3)),
                "crossEntropy: target class index 5 is out of range for 5 classes (valid: 0 to 4, or ignoreIndex -100)");
        fails(() -> Losses.crossEntropy(LOGITS, Tensor.of(new int[] {0, -1, 2}, 3)), "target class index -1 is out of range for 5 classes");
        fails(() -> Losses.crossEntropy(LOGITS, Tensor.of(new long[] {7, 1, 2}, 3), CrossEntropyOptions.builder().weight(Tensor.ones(5)).build()),
                "crossEntropy: target class index 7 is out of range for 5 classes");
        fails(() -> Losses.crossEntropy(Tensor.randn(1, 3, 2), Tensor.of(new long[] {0, 3}, 1, 2)), "class index 3 is out of range for 3 classes");
        fails(() -> Losses.crossEntropy(LOGITS, Tensor.of(new long[] {0, 1, -100}, 3), CrossEntropyOptions.builder().ignoreIndex(1).build()),
                "class index -100 is out of range for 5 classes (valid: 0 to 4, or ignoreIndex 1)");
        fails(() -> Losses.nllLoss(LOGITS, Tensor.of(new long[] {0, 9, 2}, 3)), "nllLoss: target class index 9 is out of range for 5 classes");
        assertDoesNotThrow(() -> Losses.crossEntropy(LOGITS, Tensor.of(new long[] {0, -100, 4}, 3)));
    }

    @Test
    void crossEntropyOptions() {
        fails(() -> CrossEntropyOptions.builder().labelSmoothing(1.5).build(), "crossEntropy: labelSmoothing must be between 0 and 1, got 1.5");
        fails(() -> CrossEntropyOptions.builder().labelSmoothing(-0.1).build(), "labelSmoothing must be between 0 and 1, got -0.1");
        fails(() -> CrossEntropyOptions.builder().labelSmoothing(Double.NaN).build(), "got NaN");
        fails(() -> CrossEntropyOptions.builder().weight(Tensor.ones(2, 5)).build(), "crossEntropy: weight must be a floating 1-D tensor [C], got float32 [2, 5]");
        fails(() -> Losses.crossEntropy(LOGITS, LABELS, CrossEntropyOptions.builder().weight(Tensor.ones(4)).build()),
                "crossEntropy: weight must have one entry per class, shape [5] for input [3, 5], got [4]");
        fails(() -> Losses.nllLoss(LOGITS, LABELS, Tensor.zeros(Shape.of(5), DType.INT64), -100, Reduction.MEAN),
                "nllLoss: weight must be floating point, got int64");
        NullPointerException npe = assertThrows(NullPointerException.class,
                () -> CrossEntropyOptions.builder().reduction(null).build());
        assertTrue(npe.getMessage().contains("reduction"), npe.getMessage());
    }

    @Test
    void regressionLosses() {
        Tensor a = Tensor.randn(3), b = Tensor.randn(3, 1);
        fails(() -> Losses.mseLoss(a, b), "mseLoss: target shape [3, 1] does not match input shape [3]", "do not broadcast");
        fails(() -> Losses.l1Loss(a, Tensor.zeros(Shape.of(3), DType.INT64)), "l1Loss: target must be floating point, got int64");
        fails(() -> Losses.mseLoss(Tensor.zeros(Shape.of(3), DType.INT32), a), "mseLoss: input must be floating point, got int32");
        fails(() -> Losses.smoothL1Loss(a, a, -1, Reduction.MEAN), "smoothL1Loss: beta must be non-negative, got -1.0");
        fails(() -> Losses.huberLoss(a, a, 0, Reduction.MEAN), "huberLoss: delta must be positive, got 0.0");
        fails(() -> Losses.huberLoss(a, b), "huberLoss: target shape [3, 1] does not match input shape [3]");
        assertThrows(NullPointerException.class, () -> Losses.mseLoss(a, a, null));
    }

    @Test
    void binaryLosses() {
        Tensor p = Tensor.of(new float[] {0.2f, 1.5f, 0.5f}, 3), t = Tensor.of(new float[] {0, 1, 1}, 3);
        fails(() -> Losses.binaryCrossEntropy(p, t), "binaryCrossEntropy: all elements of input should be between 0 and 1",
                "0.2", "1.5", "bceWithLogits");
        fails(() -> Losses.binaryCrossEntropy(Tensor.of(new float[] {0.5f, Float.NaN}, 2), Tensor.zeros(2)), "between 0 and 1");
        Tensor ok = Tensor.of(new float[] {0.2f, 0.7f, 0.5f}, 3);
        fails(() -> Losses.binaryCrossEntropy(ok, Tensor.zeros(3, 1)), "binaryCrossEntropy: target shape [3, 1] does not match input shape [3]");
        fails(() -> Losses.binaryCrossEntropy(ok, t, Tensor.ones(2), Reduction.MEAN),
                "binaryCrossEntropy: weight of shape [2] cannot be broadcast to the input's shape [3]");
        Tensor x = Tensor.randn(4, 3), y = Tensor.rand(4, 3);
        fails(() -> Losses.bceWithLogits(x, y, null, Tensor.ones(4), Reduction.MEAN),
                "bceWithLogits: posWeight of shape [4] cannot be broadcast to the input's shape [4, 3]");
        fails(() -> Losses.bceWithLogits(x, y, Tensor.ones(4, 3, 1), null, Reduction.MEAN), "weight of shape [4, 3, 1] cannot be broadcast");
        fails(() -> Losses.bceWithLogits(x, Tensor.rand(12)), "bceWithLogits: target shape [12] does not match input shape [4, 3]");
        assertDoesNotThrow(() -> Losses.bceWithLogits(x, y, Tensor.ones(3), Tensor.ones(1, 3), Reduction.SUM));
    }

    @Test
    void klDiv() {
        fails(() -> Losses.klDiv(Tensor.randn(2, 3), Tensor.rand(3)), "klDiv: target shape [3] does not match input shape [2, 3]");
        fails(() -> Losses.klDivBatchMean(Tensor.randn(2, 3), Tensor.zeros(Shape.of(2, 3), DType.INT64), false),
                "klDiv: target must be floating point, got int64");
    }

    @Test
    void validInputsStillWork() {
        assertEquals(Shape.of(3), Losses.crossEntropy(LOGITS, LABELS.to(DType.INT32),
                CrossEntropyOptions.builder().reduction(Reduction.NONE).build()).shape());
        assertEquals(Shape.SCALAR, Losses.crossEntropy(Tensor.randn(5), Tensor.scalar(3, DType.INT64)).shape());
    }
}
