package dev.ember.nn;

/**
 * How a loss folds its per-element values into the result (PyTorch's {@code reduction} argument).
 *
 * <pre>{@code
 * Tensor perSample = Losses.mseLoss(pred, target, Reduction.NONE);   // pred's shape
 * Tensor total = Losses.mseLoss(pred, target, Reduction.SUM);        // a scalar
 * }</pre>
 *
 * <p>KL divergence also offers PyTorch's {@code 'batchmean'} (the sum divided by the batch size) as
 * {@link Losses#klDivBatchMean}.
 */
public enum Reduction {
    /** No reduction: one value per element (per sample for the classification losses). */
    NONE,
    /** The mean; for the classification losses with class weights, the weighted mean (the sum divided by the summed weights of the counted targets). */
    MEAN,
    /** The sum. */
    SUM
}
