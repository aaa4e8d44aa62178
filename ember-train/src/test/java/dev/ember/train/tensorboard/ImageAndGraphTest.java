package dev.ember.train.tensorboard;

import dev.ember.tensor.DType;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.framework.AttrValue;
import org.tensorflow.framework.GraphDef;
import org.tensorflow.framework.NodeDef;
import org.tensorflow.framework.Summary;
import org.tensorflow.framework.TensorShapeProto;
import org.tensorflow.util.Event;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Images (PNG decoded again with ImageIO) and graphs (parsed with TensorFlow's GraphDef). */
class ImageAndGraphTest {
    @TempDir
    Path dir;

    /** Decodes a PNG and returns its samples as [C, H, W] row-major. */
    static int[] decodeChw(byte[] png, int channels) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        Raster r = img.getRaster();
        assertEquals(channels, r.getNumBands(), "bands in the decoded PNG");
        int h = img.getHeight(), w = img.getWidth();
        int[] out = new int[channels * h * w];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) out[(c * h + y) * w + x] = r.getSample(x, y, c);
            }
        }
        return out;
    }

    private Summary.Image writeImage(Tensor image) throws IOException {
        Path run = dir.resolve("img" + System.nanoTime());
        try (SummaryWriter w = new SummaryWriter(run)) {
            w.addImage("samples/x", image, 9);
        }
        Event e = EventFiles.events(EventFiles.onlyEventFile(run)).get(1);
        assertEquals(9, e.getStep());
        Summary.Value v = SummaryWriterTest.onlyValue(e);
        assertEquals("samples/x", v.getTag());
        assertEquals(Summary.Value.ValueCase.IMAGE, v.getValueCase());
        return v.getImage();
    }

    @Test
    void floatRgbImagesAreScaledRoundedAndClamped() throws IOException {
        Tensor img = Tensor.rand(new Generator(1), Shape.of(3, 5, 7), DType.FLOAT32).mul(1.2).sub(0.1); // some out of [0, 1]
        Summary.Image s = writeImage(img);
        assertEquals(5, s.getHeight());
        assertEquals(7, s.getWidth());
        assertEquals(3, s.getColorspace());
        float[] v = img.toFloatArray();
        int[] expected = new int[v.length];
        for (int i = 0; i < v.length; i++) expected[i] = (int) Math.max(0, Math.min(255, Math.rint(v[i] * 255.0)));
        assertArrayEquals(expected, decodeChw(s.getEncodedImageString().toByteArray(), 3));
    }

    @Test
    void greyscaleFromHwOrOneChannelAndRgbaAndIntegerPixels() throws IOException {
        Tensor hw = Tensor.arange(0, 24, 1).mul(10).reshape(4, 6).to(DType.INT32); // 0..230
        Summary.Image grey = writeImage(hw);
        assertEquals(1, grey.getColorspace());
        assertArrayEquals(hw.toIntArray(), decodeChw(grey.getEncodedImageString().toByteArray(), 1));

        Summary.Image oneChannel = writeImage(hw.unsqueeze(0).to(DType.INT64));
        assertEquals(1, oneChannel.getColorspace());
        assertArrayEquals(hw.toIntArray(), decodeChw(oneChannel.getEncodedImageString().toByteArray(), 1));

        Tensor rgba = Tensor.arange(0, 4 * 2 * 3, 1).mul(11).reshape(4, 2, 3); // INT64, alpha varies too
        Summary.Image s = writeImage(rgba);
        assertEquals(4, s.getColorspace());
        assertEquals(2, s.getHeight());
        assertEquals(3, s.getWidth());
        assertArrayEquals(rgba.toIntArray(), decodeChw(s.getEncodedImageString().toByteArray(), 4));

        Tensor mask = Tensor.of(new boolean[] {true, false, false, true}, 2, 2);
        assertArrayEquals(new int[] {255, 0, 0, 255},
                decodeChw(writeImage(mask).getEncodedImageString().toByteArray(), 1));
    }

    @Test
    void badImagesAreRejectedWithTheTagAndShape() {
        try (SummaryWriter w = new SummaryWriter(dir)) {
            var rank = assertThrows(IllegalArgumentException.class, () -> w.addImage("im", Tensor.zeros(1, 3, 4, 4), 0));
            assertEquals("addImage(\"im\"): expected an image of shape [C, H, W] with C = 1, 3 or 4, or [H, W]; "
                    + "got [1, 3, 4, 4] (float32)", rank.getMessage());
            var range = assertThrows(IllegalArgumentException.class,
                    () -> w.addImage("im", Tensor.of(new int[] {0, 256}, 1, 2), 0));
            assertEquals("addImage(\"im\"): integer pixel values must lie in 0..255, got 256 "
                    + "(pass a floating tensor in [0, 1] to have it scaled)", range.getMessage());
            var empty = assertThrows(IllegalArgumentException.class, () -> w.addImage("im", Tensor.zeros(3, 0, 4), 0));
            assertEquals("addImage(\"im\"): image [3, 0, 4] has no pixels", empty.getMessage());
        }
    }

    private static List<Long> dims(TensorShapeProto shape) {
        return shape.getDimList().stream().map(TensorShapeProto.Dim::getSize).toList();
    }

    @Test
    void graphNodesInputsAndOutputShapesRoundTrip() throws IOException {
        List<GraphNode> nodes = List.of(
                new GraphNode("input", "Placeholder", List.of(), new int[] {-1, 784}),
                new GraphNode("fc1/weight", "Parameter", List.of(), new int[] {128, 784}),
                new GraphNode("fc1/matmul", "MatMul", List.of("input", "fc1/weight:0"), new int[] {-1, 128}),
                new GraphNode("fc1/relu", "ReLU", List.of("fc1/matmul", "^input"), null),
                new GraphNode("scalar", "Const", List.of(), new int[] {}));
        Path file;
        try (SummaryWriter w = new SummaryWriter(dir)) {
            file = w.file();
            w.addGraph(nodes);
        }
        Event e = EventFiles.events(file).get(1);
        assertEquals(Event.WhatCase.GRAPH_DEF, e.getWhatCase());
        assertTrue(e.getWallTime() > 1.6e9);
        GraphDef g = GraphDef.parseFrom(e.getGraphDef());
        assertEquals(22, g.getVersions().getProducer());
        assertEquals(nodes.size(), g.getNodeCount());
        for (int i = 0; i < nodes.size(); i++) {
            GraphNode want = nodes.get(i);
            NodeDef got = g.getNode(i);
            assertEquals(want.name(), got.getName());
            assertEquals(want.op(), got.getOp());
            assertEquals(want.inputs(), got.getInputList());
            if (want.outputShape() == null) {
                assertEquals(0, got.getAttrCount());
            } else {
                AttrValue shapes = got.getAttrOrThrow("_output_shapes");
                assertEquals(1, shapes.getList().getShapeCount());
                List<Long> expected = java.util.Arrays.stream(want.outputShape()).mapToObj(d -> (long) d).toList();
                assertEquals(expected, dims(shapes.getList().getShape(0)), want.name());
            }
        }
    }

    @Test
    void inconsistentGraphsAreRejected() {
        try (SummaryWriter w = new SummaryWriter(dir)) {
            var dup = assertThrows(IllegalArgumentException.class, () -> w.addGraph(List.of(
                    new GraphNode("a", "X", List.of(), null), new GraphNode("a", "Y", List.of(), null))));
            assertEquals("addGraph: duplicate node name \"a\"", dup.getMessage());
            var dangling = assertThrows(IllegalArgumentException.class, () -> w.addGraph(List.of(
                    new GraphNode("a", "X", List.of("b:1"), null))));
            assertEquals("addGraph: node \"a\" has input \"b:1\" but no node has that name", dangling.getMessage());
        }
    }
}
