package dev.ember.nn;

import dev.ember.tensor.Tensor;

import java.util.List;

/**
 * Modules applied in order; children are named "0", "1", ... as in PyTorch.
 *
 * <pre>{@code
 * var model = new Sequential(new Flatten(), new Linear(784, 128), new ReLU(), new Linear(128, 10));
 * }</pre>
 */
public final class Sequential extends Module {
    private int size;

    public Sequential(Module... modules) {
        for (Module m : modules) add(m);
    }

    public Sequential(List<? extends Module> modules) {
        for (Module m : modules) add(m);
    }

    /** Appends a module (named by its position). */
    public Sequential add(Module m) {
        register(Integer.toString(size++), m);
        return this;
    }

    /** The module at {@code index} (negative counts from the end). */
    public Module get(int index) {
        int i = index < 0 ? index + size : index;
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException("Sequential: index " + index + " out of range for " + size + " modules");
        return namedChildren().get(Integer.toString(i));
    }

    /** Number of modules. */
    public int size() {
        return size;
    }

    @Override
    public Tensor forward(Tensor x) {
        for (Module m : namedChildren().values()) x = m.call(x);
        return x;
    }
}
