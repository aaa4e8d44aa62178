package dev.ember.io;

import dev.ember.nn.BatchNorm1d;
import dev.ember.nn.Dropout;
import dev.ember.nn.LayerNorm;
import dev.ember.nn.Linear;
import dev.ember.nn.Module;
import dev.ember.nn.ReLU;
import dev.ember.nn.Sequential;
import dev.ember.optim.Adam;
import dev.ember.optim.Optimizer;
import dev.ember.optim.OptimizerState;
import dev.ember.optim.SGD;
import dev.ember.optim.lr.CosineAnnealingLR;
import dev.ember.optim.lr.LRScheduler;
import dev.ember.optim.lr.ReduceLROnPlateau;
import dev.ember.optim.lr.StepLR;
import dev.ember.tensor.DType;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Full training checkpoints: round trips, exact resumption, damaged files, atomic replacement. */
class CheckpointTest {
    @TempDir
    Path dir;

    private long[] globalState;

    /** The tests re-seed the global generator; put it back so other tests see what they would have. */
    @BeforeEach
    void saveGlobal() {
        globalState = Generator.global().state();
    }

    @AfterEach
    void restoreGlobal() {
        Generator.global().setState(globalState);
    }

    // ------------------------------------------------------------------ helpers

    static Sequential mlp() {
        return new Sequential(new Linear(6, 12), new BatchNorm1d(12), new ReLU(), new Dropout(0.3),
                new Linear(12, 8), new LayerNorm(8), new ReLU(), new Linear(8, 3));
    }

    /** Model, optimizer, scheduler and the data stream of one training run. */
    record Run(Sequential model, Optimizer opt, LRScheduler sched, Generator data) {
        static Run adam(long seed) {
            Generator.global().manualSeed(seed);
            Sequential m = mlp();
            Adam opt = new Adam(m.parameters(), Adam.options().lr(0.02).weightDecay(1e-3));
            return new Run(m, opt, new StepLR(opt, 2, 0.5), new Generator(seed + 1000));
        }

        static Run sgd(long seed) {
            Generator.global().manualSeed(seed);
            Sequential m = mlp();
            SGD opt = new SGD(m.parameters(), SGD.options().lr(0.1).momentum(0.9).nesterov(true));
            return new Run(m, opt, new CosineAnnealingLR(opt, 10, 0.001), new Generator(seed + 1000));
        }

        /** One step on a fresh batch (dropout draws from the global generator); returns the loss. */
        double step() {
            Tensor x = Tensor.randn(data, Shape.of(5, 6), DType.FLOAT32);
            Tensor y = Tensor.randint(data, 0, 3, Shape.of(5));
            opt.zeroGrad();
            Tensor loss = model.call(x).logSoftmax(1).gather(1, y.unsqueeze(1)).neg().mean();
            loss.backward();
            opt.step();
            sched.step();
            return loss.item();
        }
    }

    static void assertSameState(Map<String, Tensor> expected, Map<String, Tensor> actual, String what) {
        assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(actual.keySet()), what + " keys");
        for (String k : expected.keySet()) {
            Tensor e = expected.get(k);
            Tensor a = actual.get(k);
            assertEquals(e.dtype(), a.dtype(), what + " " + k + " dtype");
            assertEquals(e.shape(), a.shape(), what + " " + k + " shape");
            if (e.dtype() == DType.INT64) assertArrayEquals(e.toLongArray(), a.toLongArray(), what + " " + k);
            else assertArrayEquals(e.toDoubleArray(), a.toDoubleArray(), 0.0, what + " " + k); // bit for bit
        }
    }

    private Checkpoint full(Run r, Generator extraGen) {
        return Checkpoint.builder().model(r.model).optimizer(r.opt).scheduler(r.sched).epoch(4).globalStep(37)
                .generator("default", Generator.global()).generator("loader", r.data).generator("aug", extraGen)
                .extra("config", "{\"hidden\": 12, \"note\": \"ünïcødé\\nline\"}").extra("git", "abc123")
                .build();
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    // ------------------------------------------------------------------ round trips

    @Test
    void roundTripsModelOptimizerSchedulerGeneratorsAndExtras() throws IOException {
        for (Function<Long, Run> make : List.<Function<Long, Run>>of(Run::adam, Run::sgd)) {
            Run r = make.apply(3L);
            for (int i = 0; i < 3; i++) r.step();
            Generator aug = new Generator(5);
            aug.nextGaussian(); // leaves a cached spare: part of the state too
            Path path = dir.resolve(r.opt.name() + ".ckpt.safetensors");
            full(r, aug).save(path);

            Checkpoint c = Checkpoint.load(path);
            assertEquals(4, c.epoch());
            assertEquals(37, c.globalStep());
            assertEquals(path.toString(), c.source());
            assertSameState(r.model.stateDict(), c.modelState(), "model");
            OptimizerState saved = r.opt.stateDict();
            assertSameState(saved.tensors(), c.optimizerState().tensors(), "optimizer");
            assertEquals(saved.paramGroupsJson(), c.optimizerState().paramGroupsJson());
            assertEquals(r.opt.name(), c.optimizerName());
            assertEquals(Json.write(r.sched.stateDict()), Json.write(c.schedulerState()));
            assertEquals(r.sched.getClass().getSimpleName(), c.schedulerName());
            assertEquals(List.of("default", "loader", "aug"), List.copyOf(c.generatorNames()));
            assertArrayEquals(Generator.global().state(), c.generatorState("default"));
            assertArrayEquals(r.data.state(), c.generatorState("loader"));
            assertArrayEquals(aug.state(), c.generatorState("aug"));
            assertEquals("{\"hidden\": 12, \"note\": \"ünïcødé\\nline\"}", c.extra("config"));
            assertEquals(Map.of("config", c.extra("config"), "git", "abc123"), c.extras());

            // Restoring into fresh objects reproduces every piece of state.
            Run fresh = make.apply(99L);
            c.restore(fresh.model, fresh.opt, fresh.sched);
            assertSameState(r.model.stateDict(), fresh.model.stateDict(), "restored model");
            assertSameState(saved.tensors(), fresh.opt.stateDict().tensors(), "restored optimizer");
            assertEquals(saved.paramGroupsJson(), fresh.opt.stateDict().paramGroupsJson());
            assertEquals(Json.write(r.sched.stateDict()), Json.write(fresh.sched.stateDict()));
            Generator g = new Generator(0);
            c.restoreGenerator("aug", g);
            assertEquals(aug.nextGaussian(), g.nextGaussian()); // the cached spare
            assertEquals(aug.nextLong(), g.nextLong());
        }
    }

    @Test
    void theFileIsPlainSafetensorsWithPrefixedKeysAndTaggedMetadata() throws IOException {
        Run r = Run.adam(1);
        r.step();
        Path path = dir.resolve("c.safetensors");
        full(r, new Generator(1)).save(path);
        SafeTensors file = SafeTensors.read(path);
        assertTrue(file.tensors().containsKey("model.0.weight"));
        assertTrue(file.tensors().containsKey("model.1.running_mean"));
        assertTrue(file.tensors().containsKey("optim.state.0.exp_avg"));
        assertEquals(Shape.of(6), file.get("rng.loader").shape());
        assertEquals(Checkpoint.FORMAT, file.metadata().get("format"));
        assertEquals("1", file.metadata().get("format_version"));
        assertEquals("StepLR", file.metadata().get("scheduler.class"));
        assertEquals("abc123", file.metadata().get("extra.git"));
        assertTrue(file.metadata().get("data_crc32c").matches("[0-9a-f]{8}"));
        assertTrue(file.metadata().get("header_crc32c").matches("[0-9a-f]{8}"));
        // In memory and on disk are the same bytes.
        assertArrayEquals(full(r, new Generator(1)).toBytes(), Files.readAllBytes(path));
    }

    @Test
    void aModelOnlyCheckpointHasNoOptimizerOrScheduler() throws IOException {
        Sequential m = mlp();
        Path path = dir.resolve("m.safetensors");
        Checkpoint.builder().model(m).build().save(path);
        Checkpoint c = Checkpoint.load(path);
        assertNull(c.optimizerState());
        assertNull(c.schedulerState());
        assertEquals(0, c.epoch());
        assertTrue(c.generatorNames().isEmpty());
        Sequential other = mlp();
        c.restoreModel(other);
        assertSameState(m.stateDict(), other.stateDict(), "model");
        SGD opt = new SGD(other.parameters(), 0.1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.restore(other, opt));
        assertTrue(e.getMessage().contains("holds no optimizer state"), e.getMessage());
    }

    @Test
    void reduceLrOnPlateauRoundTrips() throws IOException {
        Sequential m = mlp();
        SGD opt = new SGD(m.parameters(), 0.1);
        var plateau = new ReduceLROnPlateau(opt, ReduceLROnPlateau.options().patience(1));
        for (double metric : new double[] {1.0, 0.5, 0.6, 0.7}) plateau.step(metric);
        Path path = dir.resolve("p.safetensors");
        Checkpoint.builder().model(m).optimizer(opt).scheduler(plateau).build().save(path);

        SGD opt2 = new SGD(m.parameters(), 0.5);
        var plateau2 = new ReduceLROnPlateau(opt2, ReduceLROnPlateau.options().patience(1));
        Checkpoint.load(path).restore(m, opt2, plateau2);
        assertEquals(plateau.best(), plateau2.best());
        assertEquals(plateau.numBadEpochs(), plateau2.numBadEpochs());
        assertEquals(opt.paramGroups().get(0).lr(), opt2.paramGroups().get(0).lr());
    }

    // ------------------------------------------------------------------ exact resumption

    /**
     * Six uninterrupted steps and three steps, save, a new "process" (other seeds, new objects),
     * load, three more steps: the same losses and the same final parameters, bit for bit. Dropout
     * draws from the global generator and the batches from the loader's, so both must be restored;
     * the StepLR halves the learning rate mid-way and Adam's moments carry over.
     */
    @Test
    void resumingFromACheckpointIsBitwiseIdenticalToNotStopping() throws IOException {
        Run straight = Run.adam(7);
        double[] expected = new double[6];
        for (int i = 0; i < 6; i++) expected[i] = straight.step();

        Run first = Run.adam(7);
        double[] losses = new double[6];
        for (int i = 0; i < 3; i++) losses[i] = first.step();
        Path path = dir.resolve("resume.safetensors");
        Checkpoint.builder().model(first.model).optimizer(first.opt).scheduler(first.sched).epoch(0).globalStep(3)
                .generator("default", Generator.global()).generator("loader", first.data).build().save(path);

        Run second = Run.adam(12345); // a new process: different initial weights and streams
        Checkpoint c = Checkpoint.load(path);
        c.restore(second.model, second.opt, second.sched);
        c.restoreGenerator("default", Generator.global());
        c.restoreGenerator("loader", second.data);
        assertEquals(3, c.globalStep());
        for (int i = 3; i < 6; i++) losses[i] = second.step();

        for (int i = 0; i < 6; i++) {
            assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(losses[i]),
                    "loss of step " + i + ": " + expected[i] + " vs " + losses[i]);
        }
        assertSameState(straight.model.stateDict(), second.model.stateDict(), "final model");
        assertSameState(straight.opt.stateDict().tensors(), second.opt.stateDict().tensors(), "final optimizer");
        assertArrayEquals(straight.sched.getLastLr(), second.sched.getLastLr(), 0.0);

        // The comparison can fail: without the dropout generator's state the run diverges.
        Run third = Run.adam(12345);
        c.restore(third.model, third.opt, third.sched);
        c.restoreGenerator("loader", third.data);
        double diverged = third.step();
        assertFalse(diverged == expected[3], "dropout masks should differ without the restored global generator");
    }

    // ------------------------------------------------------------------ restore mismatches

    @Test
    void restoringIntoTheWrongObjectsFailsClearlyAndChangesNothing() throws IOException {
        Run r = Run.adam(2);
        r.step();
        Path path = dir.resolve("a.safetensors");
        full(r, new Generator(3)).save(path);
        Checkpoint c = Checkpoint.load(path);

        // A model of another shape: every mismatch is named, and nothing is copied.
        Sequential wide = new Sequential(new Linear(6, 13), new BatchNorm1d(13), new ReLU(), new Dropout(0.3),
                new Linear(13, 8), new LayerNorm(8), new ReLU(), new Linear(8, 3));
        Adam wideOpt = new Adam(wide.parameters(), 0.1);
        Map<String, Tensor> before = copyOf(wide.stateDict());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.restore(wide, wideOpt));
        assertTrue(e.getMessage().startsWith("checkpoint " + path), e.getMessage());
        assertTrue(e.getMessage().contains("state.0.exp_avg"), e.getMessage());
        assertSameState(before, wide.stateDict(), "untouched model");
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class, () -> c.restoreModel(wide));
        assertTrue(m.getMessage().contains("0.weight: checkpoint [12, 6] vs model [13, 6]"), m.getMessage());

        // A model missing a layer: strict.
        Sequential shorter = new Sequential(new Linear(6, 12), new BatchNorm1d(12));
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class, () -> c.restoreModel(shorter));
        assertTrue(s.getMessage().contains("unexpected keys") && s.getMessage().contains("7.weight"), s.getMessage());

        // Another optimizer kind.
        Run other = Run.sgd(2);
        Map<String, Tensor> untouched = copyOf(other.model.stateDict());
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class, () -> c.restore(other.model, other.opt));
        assertTrue(k.getMessage().contains("holds Adam state, cannot restore it into SGD"), k.getMessage());
        assertSameState(untouched, other.model.stateDict(), "model untouched after an optimizer mismatch");

        // Another scheduler kind.
        Run same = Run.adam(2);
        var cosine = new CosineAnnealingLR(same.opt, 5);
        IllegalArgumentException sc = assertThrows(IllegalArgumentException.class, () -> c.restore(same.model, same.opt, cosine));
        assertTrue(sc.getMessage().contains("holds StepLR state, cannot restore it into CosineAnnealingLR"), sc.getMessage());

        assertTrue(assertThrows(java.util.NoSuchElementException.class, () -> c.generatorState("nope")).getMessage()
                .contains("[default, loader, aug]"));
        assertTrue(assertThrows(java.util.NoSuchElementException.class, () -> c.extra("nope")).getMessage()
                .contains("[config, git]"));
    }

    private static Map<String, Tensor> copyOf(Map<String, Tensor> state) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        state.forEach((k, v) -> out.put(k, v.copy()));
        return out;
    }

    // ------------------------------------------------------------------ damaged files

    private Path saved() throws IOException {
        Run r = Run.adam(4);
        r.step();
        Path path = dir.resolve("ckpt.safetensors");
        full(r, new Generator(4)).save(path);
        return path;
    }

    private static long headerLength(byte[] bytes) {
        return java.nio.ByteBuffer.wrap(bytes, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static String loadError(Path path) {
        IOException e = assertThrows(IOException.class, () -> Checkpoint.load(path));
        assertTrue(e.getMessage().startsWith("checkpoint " + path + ": "), e.getMessage());
        return e.getMessage();
    }

    @Test
    void aFlippedByteAnywhereInTheDataIsAChecksumMismatch() throws IOException {
        Path path = saved();
        byte[] good = Files.readAllBytes(path);
        int dataStart = (int) (8 + headerLength(good));
        Generator g = new Generator(11);
        for (int trial = 0; trial < 20; trial++) {
            byte[] bad = good.clone();
            int at = dataStart + g.nextInt(good.length - dataStart);
            bad[at] ^= (byte) (1 << g.nextInt(8));
            Files.write(path, bad);
            String msg = loadError(path);
            assertTrue(msg.contains("checksum mismatch: the data section's CRC-32C is"), msg);
        }
    }

    @Test
    void aChangedValueInTheMetadataIsAHeaderChecksumMismatch() throws IOException {
        Path path = saved();
        String text = new String(Files.readAllBytes(path), java.nio.charset.StandardCharsets.ISO_8859_1);
        // Same length, still valid JSON and valid safetensors: only the checksum can tell.
        for (String[] edit : new String[][] {{"\"epoch\":\"4\"", "\"epoch\":\"5\""}, {"abc123", "abc124"},
                {"\\\"lr\\\":0.02", "\\\"lr\\\":0.03"}}) { // the optimizer's JSON, escaped in a string
            assertTrue(text.contains(edit[0]), edit[0] + " not in " + text.substring(8, 8 + (int) headerLength(text.getBytes(
                    java.nio.charset.StandardCharsets.ISO_8859_1))));
            Files.write(path, text.replace(edit[0], edit[1]).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            String msg = loadError(path);
            assertTrue(msg.contains("checksum mismatch: the header's CRC-32C"), msg);
        }
    }

    @Test
    void aTruncatedFileSaysTruncated() throws IOException {
        Path path = saved();
        byte[] good = Files.readAllBytes(path);
        int dataStart = (int) (8 + headerLength(good));
        for (int length : new int[] {0, 5, 8, 100, dataStart - 1, dataStart, dataStart + 3, good.length - 1}) {
            Files.write(path, java.util.Arrays.copyOf(good, length));
            String msg = loadError(path);
            assertTrue(msg.contains("truncated"), length + ": " + msg);
        }
    }

    @Test
    void otherFilesAreNotEmberCheckpoints() throws IOException {
        Path path = dir.resolve("x.safetensors");
        // A zip file (wrong magic: the "header length" is absurd).
        Files.write(path, new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        assertTrue(loadError(path).contains("not an Ember checkpoint"));
        // Text.
        Files.writeString(path, "epoch=3\nlr=0.1\n".repeat(10));
        assertTrue(loadError(path).contains("not an Ember checkpoint"));
        // A plain weights file.
        Checkpoint.saveWeights(mlp(), path);
        String plain = loadError(path);
        assertTrue(plain.contains("not an Ember checkpoint") && plain.contains("loadWeights"), plain);
        // Safetensors with metadata of another program.
        SafeTensors.write(path, Map.of("w", Tensor.ones(2)), Map.of("format", "pt"));
        String pt = loadError(path);
        assertTrue(pt.contains("not an Ember checkpoint") && pt.contains("format \"pt\""), pt);
        // A missing file.
        assertTrue(loadError(dir.resolve("nope.safetensors")).contains("no such file"));
    }

    @Test
    void garbageInTheHeaderIsACorruptHeader() throws IOException {
        Path path = saved();
        byte[] good = Files.readAllBytes(path);
        int headerLen = (int) headerLength(good);
        Generator g = new Generator(5);
        for (int trial = 0; trial < 10; trial++) {
            byte[] bad = good.clone();
            int at = 8 + g.nextInt(Math.min(headerLen, 64));
            for (int i = 0; i < 6; i++) bad[at + i] = (byte) "}{\0\"]\\".charAt(i);
            Files.write(path, bad);
            String msg = loadError(path);
            assertTrue(msg.contains("corrupt header") || msg.contains("not an Ember checkpoint") || msg.contains("corrupt"), msg);
        }
        // The header length itself damaged.
        byte[] bad = good.clone();
        bad[3] = 0x7f;
        Files.write(path, bad);
        assertTrue(loadError(path).contains("not an Ember checkpoint"));
        // Invalid UTF-8.
        bad = good.clone();
        bad[9] = (byte) 0xff;
        Files.write(path, bad);
        assertTrue(loadError(path).contains("corrupt header: not valid UTF-8"));
    }

    @Test
    void missingKeysAndNewerVersionsAreNamed() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("model.w", Tensor.of(new float[] {1, 2, 3}, 3));
        Path path = dir.resolve("k.safetensors");

        Map<String, String> meta = new LinkedHashMap<>(Map.of("format", Checkpoint.FORMAT, "format_version", "1"));
        SafeTensors.write(path, tensors, meta);
        assertTrue(loadError(path).contains("missing key \"data_crc32c\""));

        meta.put("data_crc32c", crcOfData(tensors));
        SafeTensors.write(path, tensors, meta);
        assertTrue(loadError(path).contains("missing key \"header_crc32c\""));

        meta.put("header_crc32c", Checkpoint.hex(Checkpoint.headerCrc(tensors, meta)));
        SafeTensors.write(path, tensors, meta);
        assertTrue(loadError(path).contains("missing key \"epoch\""));

        Map<String, String> noVersion = new LinkedHashMap<>(meta);
        noVersion.remove("format_version");
        SafeTensors.write(path, tensors, noVersion);
        assertTrue(loadError(path).contains("missing key \"format_version\""));

        meta.put("format_version", "2");
        SafeTensors.write(path, tensors, meta);
        assertTrue(loadError(path).contains("format version 2 is newer than this Ember reads (1)"));

        // With everything present the hand-made file loads.
        meta.put("format_version", "1");
        meta.put("epoch", "2");
        meta.put("global_step", "9");
        meta.put("header_crc32c", Checkpoint.hex(Checkpoint.headerCrc(tensors, meta)));
        SafeTensors.write(path, tensors, meta);
        Checkpoint c = Checkpoint.load(path);
        assertEquals(9, c.globalStep());
        assertArrayEquals(new float[] {1, 2, 3}, c.modelState().get("w").toFloatArray());
    }

    private static String crcOfData(Map<String, Tensor> tensors) {
        byte[] bytes = SafeTensors.toBytes(tensors, Map.of());
        var crc = new java.util.zip.CRC32C();
        int start = (int) (8 + headerLength(bytes));
        crc.update(bytes, start, bytes.length - start);
        return String.format("%08x", crc.getValue());
    }

    // ------------------------------------------------------------------ atomicity

    @Test
    void aFailedSaveLeavesThePreviousCheckpointIntactAndNoTemporaryFile() throws IOException {
        Run r = Run.adam(6);
        r.step();
        Path path = dir.resolve("last.safetensors");
        Checkpoint.builder().model(r.model).optimizer(r.opt).epoch(1).globalStep(1).build().save(path);
        byte[] previous = Files.readAllBytes(path);

        r.step();
        Checkpoint next = Checkpoint.builder().model(r.model).optimizer(r.opt).epoch(2).globalStep(2).build();
        IOException full = new IOException("No space left on device (simulated)");
        int[] written = {0};
        IOException e = assertThrows(IOException.class, () -> next.save(path, out -> new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (written[0] + len > 700) throw full; // part of the new file reached the disk first
                written[0] += len;
                out.write(b, off, len);
            }
        }));
        assertEquals(full, e);
        assertTrue(written[0] > 0);
        assertArrayEquals(previous, Files.readAllBytes(path));
        assertEquals(1, Checkpoint.load(path).epoch());
        assertEquals(List.of("last.safetensors"), files());

        // The next save that succeeds replaces it.
        next.save(path);
        assertEquals(2, Checkpoint.load(path).epoch());
        assertEquals(List.of("last.safetensors"), files());
    }

    // ------------------------------------------------------------------ plain weights

    @Test
    void plainWeightsRoundTripWithoutPrefix() throws IOException {
        Sequential m = mlp();
        Path path = dir.resolve("model.safetensors");
        Checkpoint.saveWeights(m, path, Map.of("arch", "mlp"));
        SafeTensors file = SafeTensors.read(path);
        assertEquals(new ArrayList<>(m.stateDict().keySet()), new ArrayList<>(file.tensors().keySet()));
        assertEquals("mlp", file.metadata().get("arch"));
        Sequential other = mlp();
        Checkpoint.loadWeights(other, path);
        assertSameState(m.stateDict(), other.stateDict(), "weights");

        Module smaller = new Sequential(new Linear(6, 12));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.loadWeights(smaller, path));
        assertTrue(e.getMessage().startsWith("weights " + path) && e.getMessage().contains("unexpected keys"), e.getMessage());
    }
}
