package dev.ember.train;

import dev.ember.Ember;
import dev.ember.io.Checkpoint;
import dev.ember.nn.Dropout;
import dev.ember.nn.Linear;
import dev.ember.nn.Module;
import dev.ember.nn.ReLU;
import dev.ember.nn.Sequential;
import dev.ember.optim.Adam;
import dev.ember.optim.lr.StepLR;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Tensor;
import dev.ember.train.callbacks.LearningRateScheduler;
import dev.ember.train.callbacks.TrainingCheckpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A run stopped after an epoch and resumed from its {@link TrainingCheckpoint} in fresh objects gives
 * bit-for-bit the same losses and weights as the run that never stopped (shuffled batches, dropout,
 * Adam state and a step schedule all carry over), and the checkpoint carries the earlier epochs' logs.
 */
class TrainingCheckpointTest {
    @TempDir
    Path dir;

    private record Setup(Module model, Trainer trainer, StepLR schedule) {
    }

    /** A fresh model, optimizer, schedule and trainer; the global seed only decides the initial weights. */
    private static Setup setup(long initSeed) {
        Ember.manualSeed(initSeed);
        Module model = new Sequential(new Linear(4, 32), new ReLU(), new Dropout(0.3), new Linear(32, 3));
        Adam adam = new Adam(model.parameters(), Adam.options().lr(0.01));
        StepLR schedule = new StepLR(adam, 1, 0.7);
        return new Setup(model, new Trainer(model, adam, TrainerTest.CE, Metrics.accuracy()), schedule);
    }

    @Test
    void resumedRunMatchesTheUninterruptedOneBitForBit() throws Exception {
        var train = TrainerTest.loader(TrainerTest.blobs(200, 3), 16, true);
        var val = TrainerTest.loader(TrainerTest.blobs(60, 4), 30, false);

        Setup full = setup(11);
        Generator.global().manualSeed(99);
        History straight = full.trainer().fit(train, val, 4, LearningRateScheduler.perEpoch(full.schedule()));

        Path file = dir.resolve("checkpoint.safetensors");
        Setup first = setup(11);
        Generator.global().manualSeed(99);
        TrainingCheckpoint ckpt = new TrainingCheckpoint(file).generator("default", Generator.global()).scheduler(first.schedule())
                .extra("config", "{\"model\":\"mlp\"}");
        first.trainer().fit(train, val, 2, LearningRateScheduler.perEpoch(first.schedule()), ckpt);

        // A new process: other initial weights and generator state, everything restored from the file.
        Setup resumed = setup(12345);
        Generator.global().manualSeed(1);
        Checkpoint loaded = Checkpoint.load(file);
        History earlier = TrainingCheckpoint.resume(loaded, resumed.trainer(), resumed.schedule(), Map.of("default", Generator.global()));
        assertEquals(2, resumed.trainer().initialEpoch());
        assertEquals(first.trainer().globalStep(), resumed.trainer().globalStep());
        assertEquals("{\"model\":\"mlp\"}", loaded.extra("config"));
        assertEquals(List.of(0, 1), earlier.epochNumbers());

        TrainingCheckpoint again = new TrainingCheckpoint(file).generator("default", Generator.global()).scheduler(resumed.schedule())
                .after(earlier);
        History rest = resumed.trainer().fit(train, val, 4, LearningRateScheduler.perEpoch(resumed.schedule()), again);
        History whole = earlier.then(rest);

        assertEquals(straight.epochNumbers(), whole.epochNumbers());
        for (String k : List.of("loss", "accuracy", "val_loss", "val_accuracy")) {
            assertArrayEquals(straight.series(k), whole.series(k), k + " per epoch");
        }
        Map<String, Tensor> a = full.model().stateDict(), b = resumed.model().stateDict();
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).toFloatArray(), b.get(k).toFloatArray(), "weights " + k);
        }
        assertEquals(4, Checkpoint.load(file).epoch());
        assertEquals(List.of(0, 1, 2, 3), TrainingCheckpoint.history(Checkpoint.load(file)).epochNumbers(),
                "the rewritten checkpoint holds the whole history");
        try (var s = Files.list(dir)) {
            assertEquals(List.of(file), s.toList(), "no temporary files left behind");
        }
    }

    @Test
    void resumingIntoADifferentModelNamesTheMismatch() throws Exception {
        Path file = dir.resolve("c.safetensors");
        Setup s = setup(1);
        s.trainer().fit(TrainerTest.loader(TrainerTest.blobs(32, 1), 16, false), 1, new TrainingCheckpoint(file));
        Ember.manualSeed(2);
        Module other = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 3));
        Trainer t = new Trainer(other, new Adam(other.parameters(), Adam.options()), TrainerTest.CE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingCheckpoint.resume(Checkpoint.load(file), t, null, Map.of()));
        assertTrue(e.getMessage().contains("c.safetensors") && e.getMessage().contains("checkpoint [32, 4] vs parameter [8, 4]"), e.getMessage());
    }

    @Test
    void nonFiniteLogsSurviveTheRoundTrip() throws Exception {
        Path file = dir.resolve("n.safetensors");
        Setup s = setup(1);
        TrainingCheckpoint c = new TrainingCheckpoint(file).after(History.of(List.of(0), List.of(Logs.empty().with("loss", Double.NaN))));
        s.trainer().initialEpoch(1).fit(TrainerTest.loader(TrainerTest.blobs(32, 1), 16, false), 2, c);
        History h = TrainingCheckpoint.history(Checkpoint.load(file));
        assertTrue(Double.isNaN(h.series("loss")[0]));
        assertTrue(Double.isFinite(h.series("loss")[1]));
    }

    @Test
    void reservedKeysAndMismatchedHistoriesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TrainingCheckpoint(dir.resolve("x")).extra(TrainingCheckpoint.HISTORY_KEY, "[]"));
        assertEquals("TrainingCheckpoint: extra key 'history' is reserved", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> History.of(List.of(0, 1), List.of(Logs.empty())));
        assertEquals("History.of: 2 epoch numbers for 1 logs", e.getMessage());
    }
}
