package dev.ember.train.tensorboard;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Encoders for the TensorBoard protobuf messages SummaryWriter writes, with the field numbers of
 * TensorFlow's {@code event.proto}, {@code summary.proto}, {@code tensor.proto} and {@code graph.proto}.
 * Fields are written in field-number order, as protobuf serializers do.
 */
final class Summaries {
    /** The file_version of the first event; TensorBoard checks it. */
    static final String FILE_VERSION = "brain.Event:2";
    /** Producer version in GraphDef.versions; what PyTorch's exporter reports too. */
    private static final int GRAPH_PRODUCER = 22;
    private static final int DT_STRING = 7;

    private Summaries() {
    }

    // ---------------------------------------------------------------- Event

    /** {@code Event{wall_time=1, file_version=3}}: the first record of every event file. */
    static byte[] fileVersionEvent(double wallTime) {
        return new ProtoWriter().float64(1, wallTime).stringAlways(3, FILE_VERSION).toByteArray();
    }

    /** {@code Event{wall_time=1, step=2, summary=5}}. */
    static byte[] summaryEvent(double wallTime, long step, ProtoWriter summary) {
        return new ProtoWriter().float64(1, wallTime).varint(2, step).message(5, summary).toByteArray();
    }

    /** {@code Event{wall_time=1, graph_def=4}}: a serialized GraphDef. */
    static byte[] graphEvent(double wallTime, byte[] graphDef) {
        return new ProtoWriter().float64(1, wallTime).bytesAlways(4, graphDef).toByteArray();
    }

    // ---------------------------------------------------------------- Summary

    /** {@code Summary{value=1: [Value{tag=1, simple_value=2}]}}. */
    static ProtoWriter scalar(String tag, float value) {
        return summary(new ProtoWriter().string(1, tag).float32Always(2, value));
    }

    /** {@code Summary.Value{tag=1, histo=5}}. */
    static ProtoWriter histogram(String tag, Histogram h) {
        return summary(new ProtoWriter().string(1, tag).message(5, h.encode()));
    }

    /** {@code Summary.Value{tag=1, image=4}}. */
    static ProtoWriter image(String tag, PngImage image) {
        return summary(new ProtoWriter().string(1, tag).message(4, image.encode()));
    }

    /**
     * Text as PyTorch's {@code SummaryWriter.add_text} writes it: tag {@code <tag>/text_summary}, a
     * DT_STRING tensor of shape [1] holding the UTF-8 text, and metadata naming the "text" plugin
     * (whose TextPluginData(version=0) content serializes to nothing).
     */
    static ProtoWriter text(String tag, String text) {
        ProtoWriter dim = new ProtoWriter().varint(1, 1);
        ProtoWriter tensor = new ProtoWriter()
                .varint(1, DT_STRING)
                .message(2, new ProtoWriter().message(2, dim))
                .stringAlways(8, text);
        ProtoWriter metadata = new ProtoWriter().message(1, new ProtoWriter().string(1, "text"));
        return summary(new ProtoWriter().string(1, tag + "/text_summary").message(8, tensor).message(9, metadata));
    }

    private static ProtoWriter summary(ProtoWriter value) {
        return new ProtoWriter().message(1, value);
    }

    // ---------------------------------------------------------------- GraphDef

    /**
     * {@code GraphDef{node=1: [NodeDef{name=1, op=2, input=3, attr=5}], versions=4}}, with each known
     * output shape in the {@code _output_shapes} attribute TensorBoard reads.
     *
     * @throws IllegalArgumentException for duplicate or empty names, or inputs naming no node
     */
    static byte[] graphDef(List<GraphNode> nodes) {
        Set<String> names = new HashSet<>();
        for (GraphNode n : nodes) {
            if (n.name().isEmpty()) throw new IllegalArgumentException("addGraph: a node has an empty name (op " + n.op() + ")");
            if (!names.add(n.name())) throw new IllegalArgumentException("addGraph: duplicate node name \"" + n.name() + "\"");
        }
        ProtoWriter graph = new ProtoWriter();
        for (GraphNode n : nodes) {
            ProtoWriter node = new ProtoWriter().string(1, n.name()).string(2, n.op());
            for (String input : n.inputs()) {
                if (!names.contains(producer(input))) {
                    throw new IllegalArgumentException("addGraph: node \"" + n.name() + "\" has input \"" + input
                            + "\" but no node has that name");
                }
                node.stringAlways(3, input);
            }
            int[] shape = n.outputShape();
            if (shape != null) node.message(5, mapEntry("_output_shapes", outputShapes(shape)));
            graph.message(1, node);
        }
        graph.message(4, new ProtoWriter().varint(1, GRAPH_PRODUCER));
        return graph.toByteArray();
    }

    /** The node an input refers to: TensorFlow inputs may read {@code name:k} or {@code ^name}. */
    private static String producer(String input) {
        String s = input.startsWith("^") ? input.substring(1) : input;
        int colon = s.lastIndexOf(':');
        boolean outputIndex = colon > 0 && colon < s.length() - 1
                && s.substring(colon + 1).chars().allMatch(Character::isDigit);
        return outputIndex ? s.substring(0, colon) : s;
    }

    /** {@code AttrValue{list=1: ListValue{shape=7: [TensorShapeProto{dim=2: [Dim{size=1}]}]}}}. */
    private static ProtoWriter outputShapes(int[] shape) {
        ProtoWriter shapeProto = new ProtoWriter();
        for (int d : shape) shapeProto.message(2, new ProtoWriter().varint(1, d));
        return new ProtoWriter().message(1, new ProtoWriter().message(7, shapeProto));
    }

    /** A {@code map<string, AttrValue>} entry: {@code {key=1, value=2}}. */
    private static ProtoWriter mapEntry(String key, ProtoWriter value) {
        return new ProtoWriter().string(1, key).message(2, value);
    }
}
