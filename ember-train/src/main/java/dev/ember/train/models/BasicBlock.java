package dev.ember.train.models;

import dev.ember.nn.BatchNorm2d;
import dev.ember.nn.Conv2d;
import dev.ember.nn.Module;
import dev.ember.nn.Sequential;
import dev.ember.tensor.Tensor;

/**
 * ResNet's basic block (He et al. 2015; torchvision's {@code BasicBlock}): two 3x3 convolutions with
 * batch norm, {@code relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))}, where the shortcut is the
 * identity or, when the stride or channel count changes, a 1x1 convolution with batch norm
 * ({@code downsample}, torchvision's name, so state dicts match).
 */
public final class BasicBlock extends Module {
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;
    private final Sequential downsample;

    public BasicBlock(int inChannels, int outChannels, int stride) {
        conv1 = register("conv1", Conv2d.builder(inChannels, outChannels, 3).stride(stride).padding(1).bias(false).build());
        bn1 = register("bn1", new BatchNorm2d(outChannels));
        conv2 = register("conv2", Conv2d.builder(outChannels, outChannels, 3).padding(1).bias(false).build());
        bn2 = register("bn2", new BatchNorm2d(outChannels));
        downsample = stride != 1 || inChannels != outChannels
                ? register("downsample", new Sequential(
                        Conv2d.builder(inChannels, outChannels, 1).stride(stride).bias(false).build(), new BatchNorm2d(outChannels)))
                : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor y = bn1.call(conv1.call(x)).relu();
        y = bn2.call(conv2.call(y));
        Tensor shortcut = downsample == null ? x : downsample.call(x);
        return y.add(shortcut).relu();
    }
}
