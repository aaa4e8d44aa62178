/**
 * Learning-rate schedulers with PyTorch's semantics ({@code torch.optim.lr_scheduler}):
 * {@link dev.ember.optim.lr.LRScheduler} subclasses {@link dev.ember.optim.lr.StepLR},
 * {@link dev.ember.optim.lr.MultiStepLR}, {@link dev.ember.optim.lr.ExponentialLR},
 * {@link dev.ember.optim.lr.CosineAnnealingLR}, {@link dev.ember.optim.lr.CosineAnnealingWarmRestarts},
 * {@link dev.ember.optim.lr.LinearLR}, {@link dev.ember.optim.lr.LambdaLR},
 * {@link dev.ember.optim.lr.OneCycleLR} and {@link dev.ember.optim.lr.SequentialLR} (e.g. a warm-up
 * followed by a decay), stepped once per epoch or per batch; and
 * {@link dev.ember.optim.lr.ReduceLROnPlateau}, stepped with a metric.
 *
 * <pre>{@code
 * var opt = new SGD(model.parameters(), SGD.options().lr(0.1).momentum(0.9));
 * var sched = new SequentialLR(opt, List.of(new LinearLR(opt, 0.1, 1.0, 5), new CosineAnnealingLR(opt, 95)), new int[] {5});
 * for (int epoch = 0; epoch < 100; epoch++) {
 *     trainOneEpoch(model, opt);
 *     sched.step();
 * }
 * }</pre>
 */
package dev.ember.optim.lr;
