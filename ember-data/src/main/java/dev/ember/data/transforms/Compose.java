package dev.ember.data.transforms;

import dev.ember.data.Transform;
import dev.ember.tensor.Generator;

import java.util.List;

/**
 * Several transforms applied in order (torchvision's {@code Compose}).
 *
 * <pre>{@code
 * Transform<Image, Tensor> train = Compose.of(new RandomCrop(32, 4), new RandomHorizontalFlip(),
 *         new ToTensor(), Normalize.of(new double[] {0.4914, 0.4822, 0.4465}, new double[] {0.2470, 0.2435, 0.2616}));
 * }</pre>
 *
 * <p>The steps' types are checked as the data flows: a step that receives the wrong type fails with a
 * message naming it (for a typed chain built at compile time use {@link Transform#andThen}).
 *
 * @param <A> input type of the first step
 * @param <B> output type of the last step
 */
public final class Compose<A, B> implements Transform<A, B> {
    private final List<Transform<?, ?>> steps;

    private Compose(List<Transform<?, ?>> steps) {
        this.steps = List.copyOf(steps);
    }

    /** The steps, applied first to last. */
    public static <A, B> Compose<A, B> of(Transform<?, ?>... steps) {
        if (steps.length == 0) throw new IllegalArgumentException("Compose: give at least one transform");
        return new Compose<>(List.of(steps));
    }

    /** The steps, first to last. */
    public List<Transform<?, ?>> steps() {
        return steps;
    }

    @Override
    @SuppressWarnings("unchecked")
    public B apply(A input, Generator rng) {
        Object x = input;
        for (int i = 0; i < steps.size(); i++) {
            Transform<Object, Object> step = (Transform<Object, Object>) steps.get(i);
            try {
                x = step.apply(x, rng);
            } catch (ClassCastException e) {
                throw new IllegalArgumentException("Compose: step " + i + " (" + step.getClass().getSimpleName()
                        + ") cannot take a " + (x == null ? "null" : x.getClass().getSimpleName())
                        + "; hint: geometric transforms take an Image and come before ToTensor, Normalize and RandomErasing take a Tensor and come after it", e);
            }
        }
        return (B) x;
    }

    @Override
    public String toString() {
        return "Compose" + steps;
    }
}
