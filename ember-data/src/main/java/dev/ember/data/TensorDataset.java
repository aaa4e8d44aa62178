package dev.ember.data;

import dev.ember.tensor.Generator;
import dev.ember.tensor.Tensor;

/**
 * Examples held as rows of two tensors: example {@code i} is {@code (x[i], y[i])} (views along dimension 0).
 *
 * <pre>{@code
 * var ds = new TensorDataset(Tensor.randn(100, 4), Tensor.randint(0, 3, 100));
 * ds.get(7).x().shape();   // [4]
 * }</pre>
 */
public final class TensorDataset implements Dataset<Sample> {
    private final Tensor x;
    private final Tensor y;

    /** Pairs the rows of {@code x} and {@code y}; both need the same size in dimension 0. */
    public TensorDataset(Tensor x, Tensor y) {
        if (x.rank() == 0 || y.rank() == 0 || x.size(0) != y.size(0)) {
            throw new IllegalArgumentException("TensorDataset: x and y must have the same size in dimension 0, got x "
                    + x.shape() + " and y " + y.shape());
        }
        this.x = x.detach();
        this.y = y.detach();
    }

    /** All inputs. */
    public Tensor x() {
        return x;
    }

    /** All targets. */
    public Tensor y() {
        return y;
    }

    @Override
    public int size() {
        return x.size(0);
    }

    @Override
    public Sample get(int index, Generator rng) {
        Dataset.checkIndex(index, size(), "TensorDataset");
        return new Sample(x.select(0, index), y.select(0, index));
    }
}
