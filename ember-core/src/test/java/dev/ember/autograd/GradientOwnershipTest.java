package dev.ember.autograd;

import dev.ember.tensor.Tensor;
import org.example.ember.KeepingOp;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * A leaf takes its first gradient without a copy only when no other tensor can hold that memory (the
 * engine's {@code ownsItsMemory}); otherwise it copies, so writing into one tensor never changes another.
 */
class GradientOwnershipTest {
    /** The same op as {@link KeepingOp}, but one of Ember's own by its package. */
    static final class RecordingOp extends KeepingOp {
    }

    private static Tensor leaf(float... v) {
        return Tensor.of(v).requiresGrad(true);
    }

    @Test
    void aFreshGradientFromEmbersOwnOpBecomesTheLeafsGradWithoutACopy() {
        Tensor x = leaf(1, 2, 3);
        RecordingOp op = new RecordingOp();
        Op.apply(op, x).backward(Tensor.of(new float[] {1, 1, 1}));
        assertSame(op.returned.storage(), x.grad().storage(), "the backward's own buffer is taken, not copied");
        assertArrayEquals(new float[] {2, 2, 2}, x.grad().toFloatArray());
        // A second backward accumulates into it.
        Op.apply(new RecordingOp(), x).backward(Tensor.of(new float[] {1, 2, 3}));
        assertArrayEquals(new float[] {4, 6, 8}, x.grad().toFloatArray());
    }

    @Test
    void aUsersOpMayKeepItsGradientSoItIsCopied() {
        Tensor x = leaf(1, 2, 3);
        KeepingOp op = new KeepingOp();
        Op.apply(op, x).backward(Tensor.of(new float[] {1, 1, 1}));
        assertNotSame(op.returned.storage(), x.grad().storage());
        Op.apply(new KeepingOp(), x).backward(Tensor.of(new float[] {1, 1, 1}));
        assertArrayEquals(new float[] {2, 2, 2}, op.returned.toFloatArray(), "the user's tensor is not accumulated into");
        assertArrayEquals(new float[] {4, 4, 4}, x.grad().toFloatArray());
    }

    @Test
    void aGradientPassedToTwoInputsIsCopiedForEach() {
        Tensor a = leaf(1, 2), b = leaf(3, 4);
        Tensor gy = Tensor.of(new float[] {1, 10});
        a.add(b).backward(gy); // add's backward hands the same tensor to both inputs
        assertNotSame(a.grad().storage(), b.grad().storage());
        assertNotSame(gy.storage(), a.grad().storage());
        a.grad().addInPlace(100.0);
        assertArrayEquals(new float[] {1, 10}, b.grad().toFloatArray());
        assertArrayEquals(new float[] {1, 10}, gy.toFloatArray());
    }

    @Test
    void theCallersGradientIsNeverTakenEvenThroughAView() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}).reshape(2, 3).detach().requiresGrad(true);
        Tensor gy = Tensor.of(new float[] {1, 2, 3, 4, 5, 6});
        x.reshape(6).backward(gy);
        assertNotSame(gy.storage(), x.grad().storage());
        gy.addInPlace(1.0);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, x.grad().toFloatArray());
    }

    @Test
    void aGradientAHookHasSeenIsCopied() {
        Tensor x = leaf(1, 2);
        Tensor[] seen = new Tensor[1];
        x.registerHook(g -> {
            seen[0] = g;
            return null;
        });
        x.mul(3.0).sum().backward();
        x.mul(3.0).sum().backward(); // accumulates into x.grad
        assertArrayEquals(new float[] {6, 6}, x.grad().toFloatArray());
        assertArrayEquals(new float[] {3, 3}, seen[0].toFloatArray(), "the hook's tensor is not accumulated into");
    }

    @Test
    void summedGradientsAreTheEnginesOwn() {
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(2.0);
        y.add(y.mul(3.0)).sum().backward(); // two paths into x: the engine sums them into a fresh tensor
        assertArrayEquals(new float[] {8, 8}, x.grad().toFloatArray());
        x.mul(1.0).sum().backward();
        assertArrayEquals(new float[] {9, 9}, x.grad().toFloatArray());
    }
}
