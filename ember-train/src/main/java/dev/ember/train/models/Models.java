package dev.ember.train.models;

import dev.ember.nn.AdaptiveAvgPool2d;
import dev.ember.nn.BatchNorm2d;
import dev.ember.nn.Conv2d;
import dev.ember.nn.Flatten;
import dev.ember.nn.Linear;
import dev.ember.nn.MaxPool2d;
import dev.ember.nn.Module;
import dev.ember.nn.ReLU;
import dev.ember.nn.Sequential;

import java.util.List;

/**
 * The models {@code ember train} offers, by name. Each takes the input image shape
 * {@code [channels, height, width]} and the class count and returns a freshly initialised model
 * (PyTorch's default initialisation, so a PyTorch twin built the same way has the same state-dict names
 * and shapes).
 *
 * <ul>
 *   <li>{@code mlp}: Flatten, Linear(C*H*W, 256), ReLU, Linear(256, 128), ReLU, Linear(128, classes).</li>
 *   <li>{@code cnn}: conv 3x3 32 - ReLU - max-pool 2 - conv 3x3 64 - ReLU - max-pool 2 - Linear 128 - ReLU -
 *       Linear classes (the default; padding keeps the size until each pool).</li>
 *   <li>{@code resnet}: a small CIFAR-style ResNet: conv 3x3 32 + BN + ReLU, then basic blocks at 32, 64
 *       (stride 2) and 128 (stride 2) channels, global average pool, Linear classes.</li>
 * </ul>
 */
public final class Models {
    /** The names {@link #create} accepts. */
    public static final List<String> NAMES = List.of("mlp", "cnn", "resnet");

    private Models() {}

    /** The model called {@code name} for inputs {@code [channels, height, width]}. */
    public static Module create(String name, int channels, int height, int width, int classes) {
        if (channels <= 0 || height <= 0 || width <= 0 || classes <= 1) {
            throw new IllegalArgumentException("model " + name + ": need positive input sizes and at least 2 classes, got input ["
                    + channels + ", " + height + ", " + width + "], " + classes + " classes");
        }
        return switch (name) {
            case "mlp" -> mlp(channels * height * width, classes);
            case "cnn" -> cnn(channels, height, width, classes);
            case "resnet" -> resnet(channels, classes);
            default -> throw new IllegalArgumentException("unknown model '" + name + "' (choose one of " + String.join(", ", NAMES) + ")");
        };
    }

    public static Sequential mlp(int inputs, int classes) {
        return new Sequential(new Flatten(), new Linear(inputs, 256), new ReLU(), new Linear(256, 128), new ReLU(), new Linear(128, classes));
    }

    public static Sequential cnn(int channels, int height, int width, int classes) {
        if (height < 4 || width < 4) throw new IllegalArgumentException("model cnn: images must be at least 4x4, got " + height + "x" + width);
        return new Sequential(
                Conv2d.builder(channels, 32, 3).padding(1).build(), new ReLU(), new MaxPool2d(2),
                Conv2d.builder(32, 64, 3).padding(1).build(), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(64 * (height / 4) * (width / 4), 128), new ReLU(), new Linear(128, classes));
    }

    public static Sequential resnet(int channels, int classes) {
        return new Sequential(
                Conv2d.builder(channels, 32, 3).padding(1).bias(false).build(), new BatchNorm2d(32), new ReLU(),
                new BasicBlock(32, 32, 1), new BasicBlock(32, 64, 2), new BasicBlock(64, 128, 2),
                new AdaptiveAvgPool2d(1, 1), new Flatten(), new Linear(128, classes));
    }
}
