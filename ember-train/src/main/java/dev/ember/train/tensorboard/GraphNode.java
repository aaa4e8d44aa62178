package dev.ember.train.tensorboard;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One node of a model graph for {@link SummaryWriter#addGraph}: TensorBoard's Graphs tab draws an
 * edge from each input to the node, labels edges with the producer's output shape, and groups nodes
 * into collapsible boxes by the {@code /}-separated scopes of their names.
 *
 * <pre>{@code
 * List.of(new GraphNode("input", "Placeholder", List.of(), new int[] {-1, 784}),
 *         new GraphNode("fc1/matmul", "MatMul", List.of("input", "fc1/weight"), new int[] {-1, 128}), ...)
 * }</pre>
 *
 * @param name        unique node name; {@code /} separates scopes
 * @param op          the operation, e.g. {@code Conv2d}, {@code ReLU}, {@code Parameter}
 * @param inputs      names of the nodes feeding this one, in argument order
 * @param outputShape the shape of the node's output ({@code -1} for an unknown size such as the
 *                    batch), or null if unknown
 */
public record GraphNode(String name, String op, List<String> inputs, int[] outputShape) {
    public GraphNode {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(op, "op");
        inputs = List.copyOf(inputs);
        outputShape = outputShape == null ? null : outputShape.clone();
    }

    @Override
    public int[] outputShape() {
        return outputShape == null ? null : outputShape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GraphNode n && name.equals(n.name) && op.equals(n.op) && inputs.equals(n.inputs)
                && Arrays.equals(outputShape, n.outputShape);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, op, inputs, Arrays.hashCode(outputShape));
    }

    @Override
    public String toString() {
        return name + " = " + op + inputs + (outputShape == null ? "" : " -> " + Arrays.toString(outputShape));
    }
}
