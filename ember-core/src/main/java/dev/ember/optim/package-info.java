/**
 * Optimizers and gradient clipping, with PyTorch 1.13's update rules ({@code torch.optim}).
 *
 * <ul>
 *   <li>{@link dev.ember.optim.Optimizer}: parameter groups ({@link dev.ember.optim.ParamGroup}),
 *       per-parameter state ({@link dev.ember.optim.ParamState}), {@code step()}, {@code zeroGrad()},
 *       and a state dict ({@link dev.ember.optim.OptimizerState}: named tensors plus JSON group options,
 *       in PyTorch's layout);</li>
 *   <li>{@link dev.ember.optim.SGD}, {@link dev.ember.optim.Adam}, {@link dev.ember.optim.AdamW},
 *       {@link dev.ember.optim.RMSprop}, {@link dev.ember.optim.Adagrad};</li>
 *   <li>{@link dev.ember.optim.ClipGrad}: {@code clipGradNorm} and {@code clipGradValue};</li>
 *   <li>learning-rate schedulers in {@link dev.ember.optim.lr}.</li>
 * </ul>
 *
 * <p>Each built-in optimizer turns a parameter's update into one {@link dev.ember.kernels.OptimizerUpdate}
 * that the backend applies in a single fused pass ({@code Backend.optimizerStep}); the CPU backend
 * runs FLOAT32 updates with the Vector API. Golden tests replay PyTorch's trajectories step by step
 * (tools/golden/gen_optim.py).
 */
package dev.ember.optim;
