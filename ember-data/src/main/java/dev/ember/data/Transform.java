package dev.ember.data;

import dev.ember.tensor.Generator;

/**
 * A preprocessing or augmentation step from {@code A} to {@code B} (torchvision's transforms).
 *
 * <p>Random transforms draw only from the generator they are given: the {@link DataLoader} hands each
 * sample a generator seeded from (loader seed, epoch, position), so augmentation is reproducible and
 * independent of the number of workers. Transforms must be stateless or thread-safe; they are called
 * from several worker threads at once.
 *
 * <pre>{@code
 * Transform<Image, Tensor> t = new RandomCrop(32, 4).andThen(new RandomHorizontalFlip())
 *         .andThen(new ToTensor()).andThen(Normalize.of(mean, std));
 * }</pre>
 *
 * @param <A> input type
 * @param <B> output type
 */
@FunctionalInterface
public interface Transform<A, B> {
    /** Applies the transform; randomness comes from {@code rng}. */
    B apply(A input, Generator rng);

    /** This transform, then {@code next}. */
    default <C> Transform<A, C> andThen(Transform<? super B, ? extends C> next) {
        return new Chain<>(this, next);
    }

    /** Lifts a transform of inputs to one of samples that keeps {@code y} (torchvision's {@code transform=}). */
    static Transform<Sample, Sample> onX(Transform<? super dev.ember.tensor.Tensor, ? extends dev.ember.tensor.Tensor> t) {
        return (s, rng) -> new Sample(t.apply(s.x(), rng), s.y());
    }

    /**
     * Two transforms one after the other (what {@link #andThen} returns; a record so that datasets can
     * look inside a pipeline, e.g. to fuse {@code ToTensor} and {@code Normalize} into one batched pass).
     */
    record Chain<A, B, C>(Transform<A, B> first, Transform<? super B, ? extends C> second) implements Transform<A, C> {
        @Override
        public C apply(A input, Generator rng) {
            return second.apply(first.apply(input, rng), rng);
        }
    }
}
