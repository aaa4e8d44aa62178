package dev.ember.train.tensorboard;

import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.tensorflow.framework.GraphDef;
import org.tensorflow.framework.NodeDef;
import org.tensorflow.framework.Summary;
import org.tensorflow.util.Event;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Against the reference writer: golden/tensorboard_torch.tfevents was written by PyTorch 1.13's
 * {@code torch.utils.tensorboard.SummaryWriter} (tools/golden/gen_tensorboard.py). The test reader
 * must accept it, and Ember must encode the same events to the same bytes (or, for PNGs, to the same
 * pixels).
 */
class TensorBoardReferenceTest {
    private static List<byte[]> torchRecords() throws IOException {
        try (InputStream in = TensorBoardReferenceTest.class.getResourceAsStream("/golden/tensorboard_torch.tfevents")) {
            assertNotNull(in, "missing golden/tensorboard_torch.tfevents (run tools/golden/gen_tensorboard.py)");
            return EventFiles.records(in.readAllBytes());
        }
    }

    /** The uint8 image of gen_tensorboard.py: (37c + 16y + 3x) % 256. */
    private static Tensor pixels(int c, int h, int w) {
        long[] v = new long[c * h * w];
        for (int k = 0; k < c; k++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) v[(k * h + y) * w + x] = (37L * k + 16L * y + 3L * x) % 256;
            }
        }
        return Tensor.of(v, c, h, w);
    }

    @Test
    void scalarAndTextEventsAreByteIdenticalToPyTorchs() throws IOException {
        List<byte[]> records = torchRecords();
        assertEquals(9, records.size());
        Object[][] scalars = {{1, "loss", 0.5}, {2, "zero", 0.0}, {3, "neg/big", -1234.5678}};
        for (Object[] s : scalars) {
            byte[] torch = records.get((int) s[0]);
            Event e = Event.parseFrom(torch);
            byte[] ours = Summaries.summaryEvent(e.getWallTime(), e.getStep(),
                    Summaries.scalar((String) s[1], (float) (double) s[2]));
            assertArrayEquals(torch, ours, (String) s[1]);
        }
        byte[] torchText = records.get(4);
        Event e = Event.parseFrom(torchText);
        assertEquals(7, e.getStep());
        assertArrayEquals(torchText, Summaries.summaryEvent(e.getWallTime(), 7, Summaries.text("note", "héllo **world**")));
    }

    @Test
    void fileVersionEventMatchesApartFromTorchsSourceMetadata() throws IOException {
        Event torch = Event.parseFrom(torchRecords().get(0));
        Event ours = Event.parseFrom(Summaries.fileVersionEvent(torch.getWallTime()));
        // source_metadata (field 10) is newer than TensorFlow 1.15's Event, so it parses as unknown.
        assertEquals(java.util.Set.of(10), torch.getUnknownFields().asMap().keySet());
        assertEquals(torch.toBuilder().setUnknownFields(com.google.protobuf.UnknownFieldSet.getDefaultInstance()).build(), ours);
        assertEquals("brain.Event:2", ours.getFileVersion());
    }

    @Test
    void imagesDecodeToTheSamePixelsAsPyTorchs() throws IOException {
        List<byte[]> records = torchRecords();
        Summary.Image torchRgb = SummaryWriterTest.onlyValue(Event.parseFrom(records.get(5))).getImage();
        PngImage ours = PngImage.of(pixels(3, 5, 7), "rgb");
        assertEquals(torchRgb.getHeight(), ours.height());
        assertEquals(torchRgb.getWidth(), ours.width());
        assertEquals(torchRgb.getColorspace(), ours.colorspace());
        assertArrayEquals(ImageAndGraphTest.decodeChw(torchRgb.getEncodedImageString().toByteArray(), 3),
                ImageAndGraphTest.decodeChw(ours.png(), 3));

        // PyTorch widens one channel to RGB; Ember keeps it grey (TensorBoard shows both the same).
        Summary.Image torchGrey = SummaryWriterTest.onlyValue(Event.parseFrom(records.get(6))).getImage();
        assertEquals(3, torchGrey.getColorspace());
        PngImage grey = PngImage.of(pixels(1, 4, 6).to(DType.INT32), "gray");
        assertEquals(1, grey.colorspace());
        int[] torchSamples = ImageAndGraphTest.decodeChw(torchGrey.getEncodedImageString().toByteArray(), 3);
        int[] ourSamples = ImageAndGraphTest.decodeChw(grey.png(), 1);
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(ourSamples, java.util.Arrays.copyOfRange(torchSamples, c * 24, (c + 1) * 24), "channel " + c);
        }
    }

    @Test
    void pyTorchsGraphUsesTheOutputShapeAttributeEmberWrites() throws IOException {
        Event e = Event.parseFrom(torchRecords().get(7));
        assertEquals(Event.WhatCase.GRAPH_DEF, e.getWhatCase());
        GraphDef torch = GraphDef.parseFrom(e.getGraphDef());
        NodeDef relu = torch.getNodeList().stream().filter(n -> n.getOp().equals("aten::relu")).findFirst().orElseThrow();
        GraphDef ours = GraphDef.parseFrom(Summaries.graphDef(List.of(
                new GraphNode("Tiny/Linear[fc]/19", "aten::linear", List.of(), new int[] {2, 3}),
                new GraphNode(relu.getName(), relu.getOp(), relu.getInputList(), new int[] {2, 3}))));
        assertEquals(relu.getAttrOrThrow("_output_shapes"), ours.getNode(1).getAttrOrThrow("_output_shapes"));
        assertEquals(relu.getInputList(), ours.getNode(1).getInputList());
        assertEquals(torch.getVersions(), ours.getVersions());
    }
}
