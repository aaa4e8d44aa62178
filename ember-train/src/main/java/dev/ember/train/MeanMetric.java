package dev.ember.train;

import dev.ember.tensor.Tensor;

/** A count-weighted running mean of scalar values (the trainer uses it for the loss). */
public final class MeanMetric implements Metric {
    private final String name;
    private double sum;
    private long count;

    public MeanMetric(String name) {
        this.name = name;
    }

    /** Adds a value that stands for {@code n} samples (e.g. a batch's mean loss and its batch size). */
    public void add(double value, long n) {
        sum += value * n;
        count += n;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void reset() {
        sum = 0;
        count = 0;
    }

    /** Adds {@code output}'s mean for {@code output.numel()} samples ({@code target} is ignored). */
    @Override
    public void update(Tensor output, Tensor target) {
        add(output.mean().item(), output.numel());
    }

    @Override
    public double result() {
        return count == 0 ? Double.NaN : sum / count;
    }
}
