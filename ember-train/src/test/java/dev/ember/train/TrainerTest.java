package dev.ember.train;

import dev.ember.Ember;
import dev.ember.data.Batch;
import dev.ember.data.DataLoader;
import dev.ember.data.TensorDataset;
import dev.ember.nn.Linear;
import dev.ember.nn.Module;
import dev.ember.nn.ReLU;
import dev.ember.nn.Sequential;
import dev.ember.optim.SGD;
import dev.ember.tensor.DType;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Tensor;
import dev.ember.train.callbacks.CsvLogger;
import dev.ember.train.callbacks.EarlyStopping;
import dev.ember.train.callbacks.ModelCheckpoint;
import dev.ember.train.callbacks.Monitor;
import dev.ember.train.callbacks.ProgressBar;
import dev.ember.train.callbacks.TerminateOnNaN;
import dev.ember.io.SafeTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BinaryOperator;

import static org.junit.jupiter.api.Assertions.*;

class TrainerTest {
    /** Cross-entropy from composite ops (mean of -log softmax at the target). */
    static final BinaryOperator<Tensor> CE = (out, y) -> out.logSoftmax(1).gather(1, y.unsqueeze(1)).mean().neg();

    /** Three Gaussian blobs in 4-D, labels 0..2: separable, so a small MLP reaches ~100%. */
    static TensorDataset blobs(int n, long seed) {
        Generator g = new Generator(seed);
        float[] x = new float[n * 4];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            int c = g.nextInt(3);
            y[i] = c;
            for (int j = 0; j < 4; j++) x[i * 4 + j] = (float) ((j == c ? 3 : 0) + g.nextGaussian() * 0.5);
        }
        return new TensorDataset(Tensor.of(x, n, 4), Tensor.of(y, n));
    }

    static Module mlp() {
        return new Sequential(new Linear(4, 16), new ReLU(), new Linear(16, 3));
    }

    static DataLoader<Batch> loader(TensorDataset ds, int batch, boolean shuffle) {
        return DataLoader.builder(ds).batchSize(batch).shuffle(shuffle).seed(7).build();
    }

    @Test
    void fitLearnsAndReportsPerEpochLogs() {
        Ember.manualSeed(1);
        Module model = mlp();
        Trainer t = new Trainer(model, new SGD(model.parameters(), 0.1, 0.9), CE, Metrics.accuracy());
        History h = t.fit(loader(blobs(600, 1), 32, true), loader(blobs(300, 2), 100, false), 5);
        assertEquals(List.of(0, 1, 2, 3, 4), h.epochNumbers());
        double[] loss = h.series("loss");
        assertTrue(loss[4] < loss[0] * 0.5, "loss should fall: " + java.util.Arrays.toString(loss));
        assertTrue(h.last().get("val_accuracy") > 0.95, h.toString());
        assertEquals(List.of("loss", "accuracy", "val_loss", "val_accuracy"), List.copyOf(h.last().asMap().keySet()));
        assertEquals(5, t.initialEpoch(), "the next fit continues after the last epoch");
        assertEquals(5L * 19, t.globalStep(), "600/32 -> 19 batches per epoch");
        assertTrue(t.examplesPerSecond() > 0);
        assertTrue(model.isTraining());
    }

    @Test
    void evaluateMatchesAManualPassAndRestoresTrainingMode() {
        Ember.manualSeed(2);
        Module model = mlp();
        Trainer t = new Trainer(model, new SGD(model.parameters(), 0.1), CE, Metrics.accuracy());
        TensorDataset test = blobs(250, 3);
        Logs logs = t.evaluate(loader(test, 64, false));
        Tensor out = t.predict(test.x());
        double manualLoss = CE.apply(out, test.y()).item();
        long correct = 0;
        long[] pred = out.argmax(1, false).toLongArray();
        long[] truth = test.y().toLongArray();
        for (int i = 0; i < 250; i++) if (pred[i] == truth[i]) correct++;
        assertEquals(manualLoss, logs.get("loss"), 1e-5);
        assertEquals(correct / 250.0, logs.get("accuracy"), 1e-12);
        assertTrue(model.isTraining());
        Tensor viaLoader = t.predict(loader(test, 64, false));
        assertArrayEquals(out.shape().toArray(), viaLoader.shape().toArray());
        assertEquals(0, out.sub(viaLoader).abs().max().item(), 1e-6);
        assertFalse(viaLoader.requiresGrad());
    }

    @Test
    void gradientAccumulationEqualsOneLargerBatch() {
        TensorDataset ds = blobs(128, 4);
        Ember.manualSeed(3);
        Module a = mlp();
        Ember.manualSeed(3);
        Module b = mlp();
        new Trainer(a, new SGD(a.parameters(), 0.2), CE).fit(loader(ds, 64, false), 2);
        new Trainer(b, new SGD(b.parameters(), 0.2), CE).gradientAccumulation(4).fit(loader(ds, 16, false), 2);
        for (var e : a.stateDict().entrySet()) {
            double diff = e.getValue().sub(b.stateDict().get(e.getKey())).abs().max().item();
            assertTrue(diff < 1e-5, e.getKey() + " differs by " + diff);
        }
    }

    @Test
    void callbacksSeeHooksInOrder() {
        Ember.manualSeed(4);
        Module model = mlp();
        Trainer t = new Trainer(model, new SGD(model.parameters(), 0.1), CE);
        List<String> events = new ArrayList<>();
        Callback recorder = new Callback() {
            public void onTrainBegin(Trainer tr) { events.add("trainBegin"); }
            public void onEpochBegin(int e) { events.add("epochBegin" + e); }
            public void onBatchBegin(int b) { events.add("batchBegin" + b); }
            public void onBatchEnd(int b, Logs l) { events.add("batchEnd" + b); }
            public void onEpochEnd(int e, Logs l) { events.add("epochEnd" + e + (l.has("val_loss") ? "+val" : "")); }
            public void onTrainEnd(Logs l) { events.add("trainEnd"); }
        };
        t.fit(loader(blobs(20, 5), 10, false), loader(blobs(10, 6), 10, false), 2, recorder);
        assertEquals(List.of("trainBegin", "epochBegin0", "batchBegin0", "batchEnd0", "batchBegin1", "batchEnd1", "epochEnd0+val",
                "epochBegin1", "batchBegin0", "batchEnd0", "batchBegin1", "batchEnd1", "epochEnd1+val", "trainEnd"), events);
    }

    @Test
    void earlyStoppingStopsAndRestoresTheBestWeights() {
        Ember.manualSeed(5);
        Module model = mlp();
        // lr 0: the monitored value never improves after the first epoch.
        Trainer t = new Trainer(model, new SGD(model.parameters(), 0.0), CE);
        List<Double> seen = new ArrayList<>();
        EarlyStopping es = new EarlyStopping(Monitor.of("val_loss"), 2, true);
        History h = t.fit(loader(blobs(40, 7), 20, false), loader(blobs(20, 8), 20, false), 20, es);
        assertEquals(3, h.epochs().size(), "epoch 0 sets the best; 1 and 2 wait; stop after 2 of patience");
        assertEquals(2, es.stoppedEpoch());
        assertEquals(0, es.bestEpoch());
    }

    @Test
    void earlyStoppingPutsBackTheWeightsOfTheBestEpoch() {
        Ember.manualSeed(15);
        Module model = mlp();
        // A metric that gets worse every epoch while the weights keep changing (lr > 0).
        Metric worsening = new Metric() {
            int epochs;
            public String name() { return "score"; }
            public void reset() { epochs++; }
            public void update(Tensor o, Tensor y) {}
            public double result() { return -epochs; }
        };
        Trainer t = new Trainer(model, new SGD(model.parameters(), 0.5), CE, worsening);
        List<java.util.Map<String, Tensor>> weights = new ArrayList<>();
        Callback snap = new Callback() {
            public void onEpochEnd(int e, Logs l) { weights.add(EarlyStoppingAccess.copy(model)); }
        };
        EarlyStopping es = new EarlyStopping(Monitor.of("val_score", "max", 0), 1, true);
        t.fit(loader(blobs(40, 7), 20, false), loader(blobs(20, 8), 20, false), 10, snap, es);
        assertEquals(2, weights.size());
        assertEquals(0, es.bestEpoch());
        assertTrue(weights.get(1).get("0.weight").sub(weights.get(0).get("0.weight")).abs().max().item() > 0);
        for (var e : weights.get(0).entrySet()) {
            assertEquals(0, model.stateDict().get(e.getKey()).sub(e.getValue()).abs().max().item(), 0, e.getKey());
        }
    }

    /** Copies a model's state (what EarlyStopping keeps). */
    static final class EarlyStoppingAccess {
        static java.util.Map<String, Tensor> copy(Module m) {
            java.util.Map<String, Tensor> w = new java.util.LinkedHashMap<>();
            m.stateDict().forEach((k, v) -> w.put(k, v.detach().copy()));
            return w;
        }
    }

    @Test
    void terminateOnNaNStopsAtTheFirstBadBatch() {
        Ember.manualSeed(6);
        Module model = mlp();
        Trainer t = new Trainer(model, new SGD(model.parameters(), 0.1), (out, y) -> out.sum().mul(Double.NaN));
        TerminateOnNaN cb = new TerminateOnNaN(null);
        History h = t.fit(loader(blobs(100, 9), 10, false), 3, cb);
        assertEquals(0, cb.terminatedBatch());
        assertEquals(1, h.epochs().size());
        assertEquals(1, t.globalStep());
    }

    @Test
    void progressBarPrintsOneLinePerEpochWhenNotATerminal() {
        Ember.manualSeed(7);
        Module model = mlp();
        Trainer t = new Trainer(model, new SGD(model.parameters(), 0.1), CE, Metrics.accuracy());
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        DataLoader<Batch> train = loader(blobs(50, 10), 10, false);
        t.fit(train, loader(blobs(20, 11), 10, false), 2,
                new ProgressBar(new PrintStream(buf, true, StandardCharsets.UTF_8), false, 2, train.size()));
        String[] lines = buf.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(4, lines.length, String.join("\n", lines));
        assertEquals("Epoch 1/2", lines[0]);
        assertTrue(lines[1].matches("5/5 \\[=+\\] - \\d+s \\d+[mu]?s/step - loss: \\d\\.\\d{4} - accuracy: \\d\\.\\d{4} - val_loss: \\d\\.\\d{4} - val_accuracy: \\d\\.\\d{4}"),
                lines[1]);
        assertEquals("Epoch 2/2", lines[2]);
    }

    @Test
    void csvLoggerWritesRowsAndKeepsEarlierEpochsOnResume(@TempDir Path dir) throws Exception {
        Ember.manualSeed(8);
        Module model = mlp();
        Trainer t = new Trainer(model, new SGD(model.parameters(), 0.1), CE, Metrics.accuracy());
        Path csv = dir.resolve("metrics.csv");
        DataLoader<Batch> train = loader(blobs(40, 12), 20, false);
        t.fit(train, loader(blobs(20, 13), 20, false), 3, new CsvLogger(csv));
        List<String> lines = Files.readAllLines(csv);
        assertEquals("epoch,loss,accuracy,val_loss,val_accuracy,lr", lines.get(0));
        assertEquals(4, lines.size());
        assertTrue(lines.get(3).startsWith("2,"));
        assertTrue(lines.get(1).endsWith(",0.100000"), lines.get(1));
        // Resume at epoch 2 (as after a checkpoint of epoch 1): rows 0 and 1 are kept, 2 and 3 rewritten.
        t.initialEpoch(2).fit(train, loader(blobs(20, 13), 20, false), 4, new CsvLogger(csv));
        List<String> after = Files.readAllLines(csv);
        assertEquals(5, after.size());
        assertEquals(lines.subList(0, 3), after.subList(0, 3));
        assertTrue(after.get(3).startsWith("2,") && after.get(4).startsWith("3,"));
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary files are left behind");
        }
    }

    @Test
    void modelCheckpointKeepsTheBestEpochWeights(@TempDir Path dir) throws Exception {
        Ember.manualSeed(9);
        Module model = mlp();
        Trainer t = new Trainer(model, new SGD(model.parameters(), 0.1, 0.9), CE, Metrics.accuracy());
        Path best = dir.resolve("best.safetensors");
        ModelCheckpoint mc = ModelCheckpoint.best(best, Monitor.of("val_loss"));
        List<Double> valLoss = new ArrayList<>();
        List<java.util.Map<String, Tensor>> weights = new ArrayList<>();
        Callback snap = new Callback() {
            public void onEpochEnd(int e, Logs l) {
                valLoss.add(l.get("val_loss"));
                java.util.Map<String, Tensor> w = new java.util.LinkedHashMap<>();
                model.stateDict().forEach((k, v) -> w.put(k, v.detach().copy()));
                weights.add(w);
            }
        };
        t.fit(loader(blobs(200, 14), 20, true), loader(blobs(100, 15), 50, false), 4, mc, snap);
        int argmin = 0;
        for (int i = 1; i < valLoss.size(); i++) if (valLoss.get(i) < valLoss.get(argmin)) argmin = i;
        assertEquals(argmin, mc.bestEpoch());
        SafeTensors saved = SafeTensors.read(best);
        assertEquals(Integer.toString(argmin), saved.metadata().get("epoch"));
        for (var e : weights.get(argmin).entrySet()) {
            assertEquals(0, saved.get(e.getKey()).sub(e.getValue()).abs().max().item(), 0, e.getKey());
        }
    }

    @Test
    void clearErrors() {
        Module model = mlp();
        Trainer t = new Trainer(model, new SGD(model.parameters(), 0.1), (o, y) -> o.sub(o));
        var e = assertThrows(IllegalStateException.class, () -> t.fit(loader(blobs(10, 1), 5, false), 1));
        assertTrue(e.getMessage().contains("loss must be a scalar, got shape [5, 3]"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(model, new SGD(model.parameters(), 0.1), CE, Metrics.accuracy(), Metrics.accuracy()));
        assertTrue(e2.getMessage().contains("'accuracy'"), e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(model, new SGD(model.parameters(), 0.1), CE).fit(loader(blobs(10, 1), 5, false), 2,
                        new EarlyStopping(Monitor.of("val_loss"), 1, false)));
        assertTrue(e3.getMessage().contains("'val_loss' is not in the logs (have [loss])"), e3.getMessage());
        assertThrows(IllegalArgumentException.class, () -> t.gradientAccumulation(0));
        assertEquals(DType.FLOAT32, blobs(1, 1).x().dtype());
    }
}
