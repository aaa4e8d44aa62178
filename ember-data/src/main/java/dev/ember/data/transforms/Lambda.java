package dev.ember.data.transforms;

import dev.ember.data.Transform;
import dev.ember.tensor.Generator;

import java.util.function.Function;

/**
 * A plain function as a (non-random) transform, torchvision's {@code Lambda}. A lambda that needs
 * randomness can implement {@link Transform} directly: {@code (x, rng) -> ...}.
 *
 * <pre>{@code
 * Transform<Tensor, Tensor> flatten = new Lambda<>(t -> t.flatten());
 * }</pre>
 *
 * @param function the function (must be thread-safe)
 * @param <A> input type
 * @param <B> output type
 */
public record Lambda<A, B>(Function<? super A, ? extends B> function) implements Transform<A, B> {
    @Override
    public B apply(A input, Generator rng) {
        return function.apply(input);
    }
}
