package dev.ember.train.tensorboard;

import dev.ember.tensor.DType;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.framework.DataType;
import org.tensorflow.framework.Summary;
import org.tensorflow.framework.TensorProto;
import org.tensorflow.util.Event;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SummaryWriter files read back with the independent reader (EventFiles + TensorFlow's generated
 * protobuf classes): file layout, scalars, text, flushing, failures and concurrency. Histograms,
 * images and graphs have their own test classes.
 */
class SummaryWriterTest {
    @TempDir
    Path dir;

    static Summary.Value onlyValue(Event e) {
        assertEquals(Event.WhatCase.SUMMARY, e.getWhatCase());
        assertEquals(1, e.getSummary().getValueCount());
        return e.getSummary().getValue(0);
    }

    @Test
    void firstEventCarriesTheFileVersionAndEveryEventAWallTimeAndStep() throws IOException {
        double before = Instant.now().getEpochSecond() - 1;
        Path file;
        try (SummaryWriter w = new SummaryWriter(dir.resolve("run"))) {
            file = w.file();
            w.addScalar("loss/train", 0.25, 0);
            w.addScalar("loss/train", -3.5, 1L << 40);
            w.addScalar("zero", 0.0, 7);
        }
        double after = Instant.now().getEpochSecond() + 1;
        assertEquals(dir.resolve("run"), file.getParent());
        assertTrue(file.getFileName().toString().matches("events\\.out\\.tfevents\\.\\d{10}\\.[A-Za-z0-9._-]+"),
                file.getFileName().toString());
        long fileSeconds = Long.parseLong(file.getFileName().toString().split("\\.")[3]);
        assertTrue(fileSeconds >= before && fileSeconds <= after);

        List<Event> events = EventFiles.events(file);
        assertEquals(4, events.size());
        assertEquals("brain.Event:2", events.get(0).getFileVersion());
        for (Event e : events) assertTrue(e.getWallTime() >= before && e.getWallTime() <= after, "wall time " + e.getWallTime());
        long[] steps = {0, 1L << 40, 7};
        double[] values = {0.25, -3.5, 0.0};
        String[] tags = {"loss/train", "loss/train", "zero"};
        for (int i = 0; i < 3; i++) {
            Event e = events.get(i + 1);
            assertEquals(steps[i], e.getStep());
            Summary.Value v = onlyValue(e);
            assertEquals(tags[i], v.getTag());
            assertEquals(Summary.Value.ValueCase.SIMPLE_VALUE, v.getValueCase(), "a zero is still a value");
            assertEquals((float) values[i], v.getSimpleValue());
        }
    }

    @Test
    void scalarsGoToOneSubRunPerKeyUnderTheMainTag() throws IOException {
        try (SummaryWriter w = new SummaryWriter(dir)) {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("train", 0.9);
            m.put("test", 0.8);
            w.addScalars("acc/epoch", m, 1);
            w.addScalars("acc/epoch", Map.of("train", 0.95), 2);
        }
        List<Event> train = EventFiles.events(EventFiles.onlyEventFile(dir.resolve("acc_epoch_train")));
        List<Event> test = EventFiles.events(EventFiles.onlyEventFile(dir.resolve("acc_epoch_test")));
        assertEquals(3, train.size());
        assertEquals(2, test.size());
        assertEquals("acc/epoch", onlyValue(train.get(1)).getTag());
        assertEquals(0.9f, onlyValue(train.get(1)).getSimpleValue());
        assertEquals(0.95f, onlyValue(train.get(2)).getSimpleValue());
        assertEquals(2, train.get(2).getStep());
        assertEquals(0.8f, onlyValue(test.get(1)).getSimpleValue());
        assertEquals(1, EventFiles.events(EventFiles.onlyEventFile(dir)).size(), "main file has only the version");
    }

    @Test
    void textIsAStringTensorForTheTextPlugin() throws IOException {
        String text = "## Config\nlr = 0.05, größe ✓";
        try (SummaryWriter w = new SummaryWriter(dir)) {
            w.addText("config", text, 3);
            w.addText("empty", "", 4);
        }
        List<Event> events = EventFiles.events(EventFiles.onlyEventFile(dir));
        Summary.Value v = onlyValue(events.get(1));
        assertEquals(3, events.get(1).getStep());
        assertEquals("config/text_summary", v.getTag());
        assertEquals("text", v.getMetadata().getPluginData().getPluginName());
        TensorProto t = v.getTensor();
        assertEquals(DataType.DT_STRING, t.getDtype());
        assertEquals(1, t.getTensorShape().getDimCount());
        assertEquals(1, t.getTensorShape().getDim(0).getSize());
        assertEquals(1, t.getStringValCount());
        assertEquals(text, t.getStringVal(0).toString(StandardCharsets.UTF_8));
        assertEquals(1, onlyValue(events.get(2)).getTensor().getStringValCount(), "empty text is still one string");
    }

    @Test
    void aFailingEventWritesNothingAndTheFileStaysValid() throws IOException {
        Path file;
        try (SummaryWriter w = new SummaryWriter(dir)) {
            file = w.file();
            w.addScalar("a", 1, 1);
            var e = assertThrows(IllegalArgumentException.class, () -> w.addImage("bad", Tensor.zeros(2, 3, 4), 2));
            assertTrue(e.getMessage().startsWith("addImage(\"bad\"): expected an image of shape [C, H, W]"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> w.addHistogram("nan", new double[] {1, Double.NaN}, 3));
            assertThrows(IllegalArgumentException.class, () -> w.addGraph(List.of(
                    new GraphNode("a", "Op", List.of("missing"), null))));
            w.addScalar("b", 2, 4);
        }
        List<Event> events = EventFiles.events(file);
        assertEquals(List.of("a", "b"), events.stream().skip(1).map(e -> onlyValue(e).getTag()).toList());
    }

    @Test
    void flushMakesEventsVisibleBeforeClose() throws IOException {
        try (SummaryWriter w = new SummaryWriter(dir, Duration.ofHours(1))) {
            assertEquals(1, EventFiles.events(w.file()).size(), "the version event is flushed at once");
            w.addScalar("a", 1, 1);
            w.flush();
            assertEquals(2, EventFiles.events(w.file()).size());
            for (int i = 0; i < 10; i++) w.addScalar("b", i, i);
            assertEquals(12, EventFiles.events(w.file()).size(), "ten pending events trigger a flush");
        }
    }

    @Test
    void pendingEventsAreFlushedPeriodicallyWithoutFurtherCalls() throws Exception {
        try (SummaryWriter w = new SummaryWriter(dir, Duration.ofMillis(20))) {
            w.addScalar("a", 1, 1);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (EventFiles.events(w.file()).size() < 2 && System.nanoTime() < deadline) Thread.sleep(10);
            assertEquals(2, EventFiles.events(w.file()).size());
        }
    }

    @Test
    void aClosedWriterRefusesEventsAndClosingTwiceIsHarmless() {
        SummaryWriter w = new SummaryWriter(dir);
        w.close();
        w.close();
        var e = assertThrows(IllegalStateException.class, () -> w.addScalar("a", 1, 1));
        assertTrue(e.getMessage().startsWith("SummaryWriter: already closed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> w.addScalars("m", Map.of("k", 1), 1));
        assertThrows(IllegalStateException.class, () -> w.addText("t", "x", 1));
        assertEquals(false, Files.exists(dir.resolve("m_k")), "no sub-run opened after close");
    }

    @Test
    void twoWritersInOneFolderGetDistinctFiles() throws IOException {
        try (SummaryWriter a = new SummaryWriter(dir); SummaryWriter b = new SummaryWriter(dir)) {
            assertNotEquals(a.file(), b.file());
            a.addScalar("x", 1, 1);
            b.addScalar("x", 2, 1);
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) assertEquals(2, EventFiles.events(p).size(), p.toString());
        }
    }

    @Test
    void concurrentWritersProduceWholeRecords() throws Exception {
        int threads = 4;
        int perThread = 500;
        Path file;
        try (SummaryWriter w = new SummaryWriter(dir)) {
            file = w.file();
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                ts.add(Thread.startVirtualThread(() -> {
                    for (int i = 0; i < perThread; i++) {
                        if (i % 50 == 0) w.addHistogram("h" + id, Tensor.randn(new Generator(i), Shape.of(100), DType.FLOAT32), i);
                        else w.addScalar("t" + id, i, i);
                    }
                }));
            }
            for (Thread t : ts) t.join();
        }
        List<Event> events = EventFiles.events(file);
        assertEquals(1 + threads * perThread, events.size());
        for (int t = 0; t < threads; t++) {
            String tag = "t" + t;
            long count = events.stream().skip(1).filter(e -> onlyValue(e).getTag().equals(tag)).count();
            assertEquals(perThread - perThread / 50, count, tag);
        }
    }
}
