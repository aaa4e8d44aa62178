package dev.ember.io;

import dev.ember.autograd.Grad;
import dev.ember.nn.Module;
import dev.ember.optim.Optimizer;
import dev.ember.optim.OptimizerState;
import dev.ember.optim.ParamGroup;
import dev.ember.optim.lr.LRScheduler;
import dev.ember.optim.lr.ReduceLROnPlateau;
import dev.ember.tensor.DType;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Tensor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32C;

/**
 * A complete training checkpoint in one safetensors file: model weights, optimizer state, LR
 * scheduler progress, epoch and step counters, random generator states and user extras, enough to
 * resume training bit for bit where it stopped.
 *
 * <pre>{@code
 * Checkpoint.builder()
 *         .model(model).optimizer(opt).scheduler(sched)
 *         .epoch(epoch).globalStep(step)
 *         .generator("default", Generator.global()).generator("loader", loaderGen)
 *         .extra("config", configJson)
 *         .build().save(Path.of("run/last.ckpt.safetensors"));
 *
 * Checkpoint c = Checkpoint.load(Path.of("run/last.ckpt.safetensors"));
 * c.restore(model, opt, sched);               // strict: every key and shape must match
 * c.restoreGenerator("default", Generator.global());
 * int nextEpoch = (int) c.epoch() + 1;
 * }</pre>
 *
 * <p><b>File layout.</b> Tensors: the model's state dict under {@code model.<name>}, the
 * optimizer's per-parameter state under {@code optim.state.<i>.<buffer>} (see
 * {@link OptimizerState}), each generator's state as an INT64 {@code [6]} tensor under
 * {@code rng.<name>}. {@code __metadata__} strings: {@code format} = {@value #FORMAT},
 * {@code format_version}, {@code epoch}, {@code global_step}, {@code optim.class} and
 * {@code optim.param_groups} (JSON), {@code scheduler.class} and {@code scheduler.state} (JSON),
 * {@code extra.<key>}, and two CRC-32C checksums (8 hex digits): {@code data_crc32c} over the
 * data section (every byte after the header) and {@code header_crc32c} over the tensor index
 * (names, dtypes, shapes) and the other metadata, so that a flipped bit in a learning rate or a
 * generator state is caught as surely as one in a weight. The file is a valid safetensors file: any
 * safetensors reader can open it, e.g. to pull out the {@code model.} weights.
 *
 * <p><b>Safety.</b> {@link #save} is atomic ({@link AtomicFiles}: temporary file, fsync, rename):
 * a crash or a failed write leaves the previous checkpoint intact. {@link #load} verifies both
 * checksums before returning, and a damaged file fails with an {@link IOException} that names the
 * file and the problem: truncated, checksum mismatch, not an Ember checkpoint, missing key.
 *
 * <p>{@link #saveWeights} and {@link #loadWeights} read and write plain model weights, a
 * {@code model.safetensors} that PyTorch's {@code load_state_dict} takes unchanged.
 */
public final class Checkpoint {
    /** The {@code format} tag in the metadata of every Ember checkpoint. */
    public static final String FORMAT = "ember.checkpoint";
    /** The format version this class writes, and the newest it reads. */
    public static final int VERSION = 1;

    static final String MODEL = "model.";
    static final String OPTIM = "optim.";
    static final String RNG = "rng.";
    static final String EXTRA = "extra.";
    static final String KEY_FORMAT = "format";
    static final String KEY_VERSION = "format_version";
    static final String KEY_EPOCH = "epoch";
    static final String KEY_STEP = "global_step";
    static final String KEY_OPTIM_CLASS = "optim.class";
    static final String KEY_OPTIM_GROUPS = "optim.param_groups";
    static final String KEY_SCHED_CLASS = "scheduler.class";
    static final String KEY_SCHED_STATE = "scheduler.state";
    static final String KEY_DATA_CRC = "data_crc32c";
    static final String KEY_HEADER_CRC = "header_crc32c";
    private static final int GENERATOR_LONGS = 6;

    private final String source;
    private final Map<String, Tensor> modelState;
    private final String optimizerName;
    private final OptimizerState optimizerState;
    private final String schedulerName;
    private final Map<String, Object> schedulerState;
    private final long epoch;
    private final long globalStep;
    private final Map<String, long[]> generators;
    private final Map<String, String> extras;

    private Checkpoint(String source, Map<String, Tensor> modelState, String optimizerName, OptimizerState optimizerState,
                       String schedulerName, Map<String, Object> schedulerState, long epoch, long globalStep,
                       Map<String, long[]> generators, Map<String, String> extras) {
        this.source = source;
        this.modelState = Collections.unmodifiableMap(modelState);
        this.optimizerName = optimizerName;
        this.optimizerState = optimizerState;
        this.schedulerName = schedulerName;
        this.schedulerState = schedulerState == null ? null : Collections.unmodifiableMap(schedulerState);
        this.epoch = epoch;
        this.globalStep = globalStep;
        this.generators = Collections.unmodifiableMap(generators);
        this.extras = Collections.unmodifiableMap(extras);
    }

    /** A builder for a new checkpoint; {@link Builder#build()} snapshots what it was given. */
    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ accessors

    /** The epoch recorded by the trainer (whatever it counts: the last finished epoch, typically). */
    public long epoch() {
        return epoch;
    }

    /** The number of optimizer steps taken so far, as recorded. */
    public long globalStep() {
        return globalStep;
    }

    /** The model's state dict, keys without the {@code model.} prefix (unmodifiable). */
    public Map<String, Tensor> modelState() {
        return modelState;
    }

    /** The optimizer's state dict, or null if the checkpoint holds none. */
    public OptimizerState optimizerState() {
        return optimizerState;
    }

    /** The name of the optimizer the state came from ({@code "Adam"}), or null if none. */
    public String optimizerName() {
        return optimizerName;
    }

    /** The scheduler's state dict (JSON-able values, unmodifiable), or null if the checkpoint holds none. */
    public Map<String, Object> schedulerState() {
        return schedulerState;
    }

    /** The simple class name of the scheduler the state came from ({@code "StepLR"}), or null if none. */
    public String schedulerName() {
        return schedulerName;
    }

    /** The names of the saved generator states. */
    public Set<String> generatorNames() {
        return generators.keySet();
    }

    /** A copy of the saved state of generator {@code name} (see {@link Generator#state()}). */
    public long[] generatorState(String name) {
        long[] s = generators.get(name);
        if (s == null) throw new NoSuchElementException(describe() + ": no generator \"" + name + "\" (have " + generators.keySet() + ")");
        return s.clone();
    }

    /** The user extras (unmodifiable); use {@code extras().get(key)} for optional ones. */
    public Map<String, String> extras() {
        return extras;
    }

    /** The extra saved under {@code key}; throws, listing the keys present, if there is none. */
    public String extra(String key) {
        String v = extras.get(key);
        if (v == null) throw new NoSuchElementException(describe() + ": no extra \"" + key + "\" (have " + extras.keySet() + ")");
        return v;
    }

    /** The file this checkpoint was loaded from, or {@code <memory>} for one built in this process. */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "Checkpoint(" + source + ", epoch=" + epoch + ", globalStep=" + globalStep + ", model: " + modelState.size()
                + " tensors, optimizer: " + optimizerName + ", scheduler: " + schedulerName + ", generators: "
                + generators.keySet() + ", extras: " + extras.keySet() + ")";
    }

    private String describe() {
        return "checkpoint " + source;
    }

    // ------------------------------------------------------------------ restoring

    /**
     * Restores the model's weights and buffers and the optimizer's state. Everything is checked
     * before anything changes: the optimizer's kind, groups and parameter shapes must match those
     * saved, and the model's keys and shapes must match exactly (strict).
     *
     * @throws IllegalArgumentException naming the checkpoint and every mismatch
     */
    public void restore(Module model, Optimizer optimizer) {
        checkOptimizer(optimizer);
        restoreModel(model);
        restoreOptimizer(optimizer);
    }

    /** As {@link #restore(Module, Optimizer)}, and restores the scheduler's progress too. */
    public void restore(Module model, Optimizer optimizer, LRScheduler scheduler) {
        checkOptimizer(optimizer);
        checkScheduler(scheduler.getClass().getSimpleName(), scheduler.optimizer());
        restoreModel(model);
        restoreOptimizer(optimizer);
        restoreScheduler(scheduler);
    }

    /** As {@link #restore(Module, Optimizer)}, and restores a {@link ReduceLROnPlateau}'s progress too. */
    public void restore(Module model, Optimizer optimizer, ReduceLROnPlateau scheduler) {
        checkOptimizer(optimizer);
        checkScheduler(ReduceLROnPlateau.class.getSimpleName(), scheduler.optimizer());
        restoreModel(model);
        restoreOptimizer(optimizer);
        restoreScheduler(scheduler);
    }

    /**
     * Copies the saved weights and buffers into {@code model} in place (strict: missing keys,
     * unexpected keys and shape mismatches are errors, reported together before anything is copied).
     */
    public void restoreModel(Module model) {
        try {
            model.loadStateDict(modelState, true);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(describe() + ": cannot restore the model: " + e.getMessage(), e);
        }
    }

    /** Restores the optimizer's state and group options (learning rates included). */
    public void restoreOptimizer(Optimizer optimizer) {
        checkOptimizer(optimizer);
        try {
            optimizer.loadStateDict(optimizerState);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(describe() + ": cannot restore the optimizer: " + e.getMessage(), e);
        }
    }

    /** Restores the scheduler's progress (its optimizer's learning rates come from {@link #restoreOptimizer}). */
    public void restoreScheduler(LRScheduler scheduler) {
        checkScheduler(scheduler.getClass().getSimpleName(), scheduler.optimizer());
        try {
            scheduler.loadStateDict(schedulerState);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(describe() + ": cannot restore the scheduler: " + e.getMessage(), e);
        }
    }

    /** Restores a {@link ReduceLROnPlateau}'s progress. */
    public void restoreScheduler(ReduceLROnPlateau scheduler) {
        checkScheduler(ReduceLROnPlateau.class.getSimpleName(), scheduler.optimizer());
        try {
            scheduler.loadStateDict(schedulerState);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(describe() + ": cannot restore the scheduler: " + e.getMessage(), e);
        }
    }

    /** Sets {@code generator} to the saved state {@code name}, so it continues the saved stream exactly. */
    public void restoreGenerator(String name, Generator generator) {
        generator.setState(generatorState(name));
    }

    /** Checks kind, groups and state shapes without changing the optimizer, so a restore fails before it starts. */
    private void checkOptimizer(Optimizer optimizer) {
        Objects.requireNonNull(optimizer, "optimizer");
        if (optimizerState == null) {
            throw new IllegalArgumentException(describe() + ": holds no optimizer state, cannot restore " + optimizer.name());
        }
        if (!optimizerName.equals(optimizer.name())) {
            throw new IllegalArgumentException(describe() + ": holds " + optimizerName + " state, cannot restore it into "
                    + optimizer.name());
        }
        List<ParamGroup> groups = optimizer.paramGroups();
        List<Map<String, Object>> saved = optimizerState.paramGroups();
        if (saved.size() != groups.size()) {
            throw new IllegalArgumentException(describe() + ": " + optimizerName + " state has " + saved.size()
                    + " parameter groups, the optimizer has " + groups.size());
        }
        Map<Integer, Tensor> byIndex = new LinkedHashMap<>();
        for (int gi = 0; gi < groups.size(); gi++) {
            List<Tensor> params = groups.get(gi).params();
            Object ids = saved.get(gi).get("params");
            if (!(ids instanceof List<?> list) || list.size() != params.size()) {
                throw new IllegalArgumentException(describe() + ": " + optimizerName + " parameter group " + gi + " has "
                        + (ids instanceof List<?> l ? l.size() : "no") + " saved parameters, the optimizer's has " + params.size());
            }
            for (int i = 0; i < params.size(); i++) {
                if (list.get(i) instanceof Number n) byIndex.put(n.intValue(), params.get(i));
            }
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : optimizerState.tensors().entrySet()) {
            String[] parts = e.getKey().split("\\.", 3);
            if (parts.length != 3 || parts[2].equals("step")) continue; // malformed keys: loadStateDict names them
            Tensor p;
            try {
                p = byIndex.get(Integer.parseInt(parts[1]));
            } catch (NumberFormatException ex) {
                continue;
            }
            if (p != null && !p.shape().equals(e.getValue().shape())) {
                problems.add(e.getKey() + ": checkpoint " + e.getValue().shape() + " vs parameter " + p.shape());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(describe() + ": " + optimizerName + " state does not fit the optimizer's parameters: "
                    + String.join("; ", problems));
        }
    }

    private void checkScheduler(String kind, Optimizer optimizer) {
        if (schedulerState == null) throw new IllegalArgumentException(describe() + ": holds no scheduler state, cannot restore " + kind);
        if (!schedulerName.equals(kind)) {
            throw new IllegalArgumentException(describe() + ": holds " + schedulerName + " state, cannot restore it into " + kind);
        }
        if (schedulerState.get("_last_lr") instanceof List<?> lrs && lrs.size() != optimizer.paramGroups().size()) {
            throw new IllegalArgumentException(describe() + ": " + schedulerName + " state covers " + lrs.size()
                    + " parameter groups, the scheduler's optimizer has " + optimizer.paramGroups().size());
        }
    }

    // ------------------------------------------------------------------ saving

    /**
     * Writes the checkpoint to {@code path} atomically: readers and a restarted process see the
     * previous file or the complete new one, never a mix; if writing fails the previous file is
     * untouched and no temporary file is left behind.
     */
    public void save(Path path) throws IOException {
        save(path, UnaryOperator.identity());
    }

    /** {@link #save(Path)} with the file stream wrapped by {@code wrap} (tests inject write failures with it). */
    void save(Path path, UnaryOperator<OutputStream> wrap) throws IOException {
        Map<String, Tensor> tensors = tensors();
        Map<String, String> metadata = metadata(tensors);
        AtomicFiles.write(path, out -> SafeTensors.write(wrap.apply(out), tensors, metadata));
    }

    /** The checkpoint as safetensors bytes (for files under 2 GB). */
    public byte[] toBytes() {
        Map<String, Tensor> tensors = tensors();
        return SafeTensors.toBytes(tensors, metadata(tensors));
    }

    /** Every tensor under its file name, in file order. */
    private Map<String, Tensor> tensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        modelState.forEach((k, v) -> out.put(MODEL + k, v));
        if (optimizerState != null) optimizerState.tensors().forEach((k, v) -> out.put(OPTIM + k, v));
        generators.forEach((k, v) -> out.put(RNG + k, Tensor.of(v, GENERATOR_LONGS)));
        return out;
    }

    private Map<String, String> metadata(Map<String, Tensor> tensors) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(KEY_FORMAT, FORMAT);
        m.put(KEY_VERSION, Integer.toString(VERSION));
        m.put(KEY_EPOCH, Long.toString(epoch));
        m.put(KEY_STEP, Long.toString(globalStep));
        if (optimizerState != null) {
            m.put(KEY_OPTIM_CLASS, optimizerName);
            m.put(KEY_OPTIM_GROUPS, optimizerState.paramGroupsJson());
        }
        if (schedulerState != null) {
            m.put(KEY_SCHED_CLASS, schedulerName);
            m.put(KEY_SCHED_STATE, Json.write(schedulerState));
        }
        extras.forEach((k, v) -> m.put(EXTRA + k, v));
        m.put(KEY_DATA_CRC, hex(dataCrc(tensors)));
        m.put(KEY_HEADER_CRC, hex(headerCrc(tensors, m)));
        return m;
    }

    /** CRC-32C of the data section exactly as {@link SafeTensors} lays it out: the tensors' bytes in map order, no gaps. */
    private static int dataCrc(Map<String, Tensor> tensors) {
        CRC32C crc = new CRC32C();
        OutputStream sink = new OutputStream() {
            @Override
            public void write(int b) {
                crc.update(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                crc.update(b, off, len);
            }
        };
        try {
            for (Tensor t : tensors.values()) TensorBytes.write(sink, TensorBytes.dense(t));
        } catch (IOException e) {
            throw new AssertionError("the CRC sink does not fail", e);
        }
        return (int) crc.getValue();
    }

    /**
     * CRC-32C of a canonical form of the header: tensors sorted by name with dtype and shape, then the
     * metadata sorted by key, leaving out the two checksums; each string length-prefixed so that no
     * two headers encode alike. Canonical rather than raw bytes because the header holds the checksum.
     */
    static int headerCrc(Map<String, Tensor> tensors, Map<String, String> metadata) {
        CRC32C crc = new CRC32C();
        for (Map.Entry<String, Tensor> e : new TreeMap<>(tensors).entrySet()) {
            update(crc, e.getKey());
            update(crc, e.getValue().dtype().pyName());
            update(crc, e.getValue().shape().toString());
        }
        for (Map.Entry<String, String> e : new TreeMap<>(metadata).entrySet()) {
            if (e.getKey().equals(KEY_DATA_CRC) || e.getKey().equals(KEY_HEADER_CRC)) continue;
            update(crc, e.getKey());
            update(crc, e.getValue());
        }
        return (int) crc.getValue();
    }

    private static void update(CRC32C crc, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        crc.update(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
        crc.update(b);
    }

    static String hex(int crc) {
        return String.format("%08x", crc);
    }

    // ------------------------------------------------------------------ loading

    /**
     * Reads and verifies a checkpoint written by {@link #save}. The file is read twice, once to
     * checksum it and once to load the tensors (the second time usually from the OS page cache).
     *
     * @throws IOException naming the file and the problem: missing file, truncated, checksum
     *                     mismatch, not an Ember checkpoint (a plain safetensors file, or another
     *                     format), a newer format version, or a missing or malformed key
     */
    public static Checkpoint load(Path path) throws IOException {
        String source = path.toString();
        verifyFile(path, source);
        SafeTensors file;
        try {
            file = SafeTensors.read(path);
        } catch (IOException e) {
            throw error(source, "corrupt: " + e.getMessage(), e);
        }
        Map<String, String> metadata = file.metadata();
        String recorded = require(source, metadata, KEY_HEADER_CRC);
        String actual = hex(headerCrc(file.tensors(), metadata));
        if (!actual.equals(recorded)) {
            throw error(source, "checksum mismatch: the header's CRC-32C is " + actual + " but " + KEY_HEADER_CRC
                    + " records " + recorded + " (the header is corrupt)");
        }
        return parse(source, file.tensors(), metadata);
    }

    /**
     * The checks that need the raw file: size, header, format tag and version, data length and the
     * data checksum. Done before the safetensors reader runs so that a truncated or damaged file is
     * reported as such rather than as whatever inconsistency the damage happens to produce.
     */
    private static void verifyFile(Path path, String source) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw error(source, "no such file", e);
        }
        try (ch) {
            long size = ch.size();
            if (size < 8) {
                throw error(source, "truncated: the file has " + size + " bytes, fewer than the 8 of a safetensors header length");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lengthBytes, 0);
            long n = lengthBytes.getLong(0);
            if (n < 2 || n > SafeTensors.MAX_HEADER_BYTES) {
                throw error(source, "not an Ember checkpoint: it does not start with a safetensors header length (got "
                        + Long.toUnsignedString(n) + ")");
            }
            if (n > size - 8) {
                throw error(source, "truncated: the header should have " + n + " bytes but the file ends after "
                        + (size - 8) + " (or it is not a safetensors file)");
            }
            ByteBuffer headerBytes = ByteBuffer.allocate((int) n);
            readFully(ch, headerBytes, 8);
            Map<String, Object> header = header(source, headerBytes.array());
            Map<String, String> metadata = formatMetadata(source, header);
            long expected = dataLength(header);
            long have = size - 8 - n;
            if (have < expected) {
                throw error(source, "truncated: the data section has " + have + " of its " + expected + " bytes");
            }
            String recorded = require(source, metadata, KEY_DATA_CRC);
            String actual = hex(crcOf(ch, 8 + n, size));
            if (!actual.equals(recorded)) {
                throw error(source, "checksum mismatch: the data section's CRC-32C is " + actual + " but " + KEY_DATA_CRC
                        + " records " + recorded + " (the file is corrupt)");
            }
        }
    }

    private static Map<String, Object> header(String source, byte[] bytes) throws IOException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw error(source, "corrupt header: not valid UTF-8 (damaged, or not an Ember checkpoint)", e);
        }
        try {
            return Json.parseObject(text);
        } catch (IllegalArgumentException e) {
            throw error(source, "corrupt header: " + e.getMessage() + " (damaged, or not an Ember checkpoint)", e);
        }
    }

    /** The {@code __metadata__} of an Ember checkpoint of a version this class reads. */
    private static Map<String, String> formatMetadata(String source, Map<String, Object> header) throws IOException {
        if (!(header.get(SafeTensorsHeader.METADATA_KEY) instanceof Map<?, ?> raw)) {
            throw error(source, "not an Ember checkpoint: the safetensors header has no " + SafeTensorsHeader.METADATA_KEY
                    + " (a plain weights file? Checkpoint.loadWeights reads those)");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        raw.forEach((k, v) -> metadata.put((String) k, v instanceof String s ? s : null));
        String format = metadata.get(KEY_FORMAT);
        if (!FORMAT.equals(format)) {
            throw error(source, "not an Ember checkpoint: " + SafeTensorsHeader.METADATA_KEY + " has "
                    + (format == null ? "no \"" + KEY_FORMAT + "\" tag" : "format \"" + format + "\"") + ", expected \"" + FORMAT
                    + "\" (a plain weights file? Checkpoint.loadWeights reads those)");
        }
        String version = require(source, metadata, KEY_VERSION);
        int v;
        try {
            v = Integer.parseInt(version);
        } catch (NumberFormatException e) {
            throw error(source, "corrupt header: " + KEY_VERSION + " \"" + version + "\" is not a number", e);
        }
        if (v > VERSION) {
            throw error(source, "format version " + v + " is newer than this Ember reads (" + VERSION + "); upgrade Ember");
        }
        if (v < 1) throw error(source, "corrupt header: " + KEY_VERSION + " " + v + " is not a valid version");
        return metadata;
    }

    /** The end of the last tensor's bytes according to the header (malformed entries are left to the safetensors reader). */
    private static long dataLength(Map<String, Object> header) {
        long end = 0;
        for (Map.Entry<String, Object> e : header.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> info && info.get("data_offsets") instanceof List<?> offsets
                    && offsets.size() == 2 && offsets.get(1) instanceof Long last) {
                end = Math.max(end, last);
            }
        }
        return end;
    }

    private static int crcOf(FileChannel ch, long from, long to) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        for (long pos = from; pos < to; ) {
            buf.clear();
            if (to - pos < buf.capacity()) buf.limit((int) (to - pos));
            int r = ch.read(buf, pos);
            if (r < 0) break; // the file shrank while we read it: the checksum will not match
            pos += r;
            buf.flip();
            crc.update(buf);
        }
        return (int) crc.getValue();
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos + buf.position());
            if (r < 0) throw new IOException("unexpected end of file");
        }
    }

    /** Builds the checkpoint from a verified file's tensors and metadata. */
    private static Checkpoint parse(String source, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        Map<String, Tensor> model = new LinkedHashMap<>();
        Map<String, Tensor> optim = new LinkedHashMap<>();
        Map<String, long[]> generators = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            Tensor t = e.getValue();
            if (name.startsWith(MODEL)) {
                model.put(name.substring(MODEL.length()), t);
            } else if (name.startsWith(OPTIM)) {
                optim.put(name.substring(OPTIM.length()), t);
            } else if (name.startsWith(RNG)) {
                if (t.dtype() != DType.INT64 || t.rank() != 1 || t.numel() != GENERATOR_LONGS) {
                    throw error(source, "corrupt: generator state \"" + name + "\" must be int64 [" + GENERATOR_LONGS + "], got "
                            + t.dtype().pyName() + " " + t.shape());
                }
                generators.put(name.substring(RNG.length()), t.toLongArray());
            } else {
                throw error(source, "unexpected tensor \"" + name + "\" (an Ember checkpoint holds only "
                        + MODEL + "*, " + OPTIM + "* and " + RNG + "* tensors)");
            }
        }
        long epoch = longOf(source, metadata, KEY_EPOCH);
        long step = longOf(source, metadata, KEY_STEP);
        String optimName = metadata.get(KEY_OPTIM_CLASS);
        OptimizerState optimState = null;
        if (optimName != null) {
            String groups = require(source, metadata, KEY_OPTIM_GROUPS);
            try {
                optimState = OptimizerState.of(optim, groups);
            } catch (IllegalArgumentException e) {
                throw error(source, "corrupt " + KEY_OPTIM_GROUPS + ": " + e.getMessage(), e);
            }
        } else if (!optim.isEmpty()) {
            throw error(source, "missing key \"" + KEY_OPTIM_CLASS + "\" in " + SafeTensorsHeader.METADATA_KEY
                    + " although the file holds optimizer tensors");
        }
        String schedName = metadata.get(KEY_SCHED_CLASS);
        Map<String, Object> schedState = null;
        if (schedName != null) {
            String json = require(source, metadata, KEY_SCHED_STATE);
            try {
                schedState = Json.parseObject(json);
            } catch (IllegalArgumentException e) {
                throw error(source, "corrupt " + KEY_SCHED_STATE + ": " + e.getMessage(), e);
            }
        }
        Map<String, String> extras = new LinkedHashMap<>();
        metadata.forEach((k, v) -> {
            if (k.startsWith(EXTRA)) extras.put(k.substring(EXTRA.length()), v);
        });
        return new Checkpoint(source, model, optimName, optimState, schedName, schedState, epoch, step, generators, extras);
    }

    private static String require(String source, Map<String, String> metadata, String key) throws IOException {
        String v = metadata.get(key);
        if (v == null) {
            throw error(source, "missing key \"" + key + "\" in " + SafeTensorsHeader.METADATA_KEY
                    + (metadata.containsKey(key) ? " (present but not a string)" : ""));
        }
        return v;
    }

    private static long longOf(String source, Map<String, String> metadata, String key) throws IOException {
        String v = require(source, metadata, key);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw error(source, "corrupt " + key + ": \"" + v + "\" is not an integer", e);
        }
    }

    private static IOException error(String source, String problem) {
        return new IOException("checkpoint " + source + ": " + problem);
    }

    private static IOException error(String source, String problem, Throwable cause) {
        return new IOException("checkpoint " + source + ": " + problem, cause);
    }

    // ------------------------------------------------------------------ plain weights

    /**
     * Writes {@code model}'s state dict as a plain safetensors file, atomically, with PyTorch's key
     * names and no prefix: {@code model.load_state_dict(load_file("model.safetensors"))} takes it.
     */
    public static void saveWeights(Module model, Path path) throws IOException {
        saveWeights(model, path, Map.of());
    }

    /** As {@link #saveWeights(Module, Path)}, with free-form {@code __metadata__} strings. */
    public static void saveWeights(Module model, Path path, Map<String, String> metadata) throws IOException {
        SafeTensors.write(path, model.stateDict(), metadata);
    }

    /**
     * Loads a plain safetensors weights file (Ember's {@link #saveWeights} or PyTorch's) into
     * {@code model}, strictly: every key and shape must match.
     *
     * @throws IOException              if the file cannot be read or is not valid safetensors
     * @throws IllegalArgumentException naming the file and the mismatched keys
     */
    public static void loadWeights(Module model, Path path) throws IOException {
        SafeTensors file = SafeTensors.read(path);
        try {
            model.loadStateDict(file.tensors(), true);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("weights " + path + ": " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ builder

    /**
     * Collects what a checkpoint holds. Objects are read when {@link #build()} is called, which
     * copies the tensors, so training may go on while the checkpoint is being written.
     */
    public static final class Builder {
        private Module model;
        private Map<String, Tensor> modelState;
        private Optimizer optimizer;
        private String schedulerName;
        private Supplier<Map<String, Object>> scheduler;
        private long epoch;
        private long globalStep;
        private final Map<String, Generator> generators = new LinkedHashMap<>();
        private final Map<String, String> extras = new LinkedHashMap<>();

        private Builder() {
        }

        /** The model whose state dict (parameters and persistent buffers) is saved. */
        public Builder model(Module model) {
            this.model = Objects.requireNonNull(model, "Checkpoint.builder: model is null");
            this.modelState = null;
            return this;
        }

        /** A model state dict given directly (keys as {@link Module#stateDict()} makes them). */
        public Builder modelState(Map<String, Tensor> state) {
            this.modelState = Objects.requireNonNull(state, "Checkpoint.builder: model state is null");
            this.model = null;
            return this;
        }

        /** The optimizer whose state dict is saved. */
        public Builder optimizer(Optimizer optimizer) {
            this.optimizer = Objects.requireNonNull(optimizer, "Checkpoint.builder: optimizer is null");
            return this;
        }

        /** The learning-rate scheduler whose progress is saved. */
        public Builder scheduler(LRScheduler scheduler) {
            Objects.requireNonNull(scheduler, "Checkpoint.builder: scheduler is null");
            this.schedulerName = scheduler.getClass().getSimpleName();
            this.scheduler = scheduler::stateDict;
            return this;
        }

        /** A {@link ReduceLROnPlateau} whose progress is saved. */
        public Builder scheduler(ReduceLROnPlateau scheduler) {
            Objects.requireNonNull(scheduler, "Checkpoint.builder: scheduler is null");
            this.schedulerName = ReduceLROnPlateau.class.getSimpleName();
            this.scheduler = scheduler::stateDict;
            return this;
        }

        /** The epoch counter to record. */
        public Builder epoch(long epoch) {
            if (epoch < 0) throw new IllegalArgumentException("Checkpoint.builder: epoch must be >= 0, got " + epoch);
            this.epoch = epoch;
            return this;
        }

        /** The number of optimizer steps taken so far. */
        public Builder globalStep(long step) {
            if (step < 0) throw new IllegalArgumentException("Checkpoint.builder: global step must be >= 0, got " + step);
            this.globalStep = step;
            return this;
        }

        /**
         * A generator whose state is saved under {@code name} (e.g. {@code "default"} for
         * {@link Generator#global()}, which dropout draws from, and {@code "loader"} for shuffling).
         */
        public Builder generator(String name, Generator generator) {
            if (name == null || name.isEmpty()) throw new IllegalArgumentException("Checkpoint.builder: generator name must be non-empty");
            generators.put(name, Objects.requireNonNull(generator, "Checkpoint.builder: generator \"" + name + "\" is null"));
            return this;
        }

        /** A free-form string saved with the checkpoint (a config as JSON, a git commit, ...). */
        public Builder extra(String key, String value) {
            if (key == null || key.isEmpty()) throw new IllegalArgumentException("Checkpoint.builder: extra key must be non-empty");
            if (value == null) throw new IllegalArgumentException("Checkpoint.builder: extra \"" + key + "\" is null");
            extras.put(key, value);
            return this;
        }

        /** Several extras at once. */
        public Builder extras(Map<String, String> values) {
            values.forEach(this::extra);
            return this;
        }

        /**
         * Snapshots everything given: tensors are copied, the optimizer's and scheduler's state dicts
         * and the generators' states are taken now.
         *
         * @throws IllegalStateException if no model was given
         * @throws IllegalArgumentException if the scheduler's state cannot be written as JSON
         */
        public Checkpoint build() {
            if (model == null && modelState == null) throw new IllegalStateException("Checkpoint.builder: no model given");
            Map<String, Tensor> state = model != null ? model.stateDict() : modelState;
            Map<String, Tensor> copies = new LinkedHashMap<>();
            try (var off = Grad.off()) {
                for (Map.Entry<String, Tensor> e : state.entrySet()) {
                    Tensor t = Objects.requireNonNull(e.getValue(), "Checkpoint.builder: model state \"" + e.getKey() + "\" is null");
                    copies.put(e.getKey(), TensorBytes.dense(t.detach().copy()));
                }
            }
            OptimizerState optimState = optimizer == null ? null : optimizer.stateDict();
            Map<String, Object> schedState = null;
            if (scheduler != null) {
                try {
                    // Through JSON and back: a deep copy, in exactly the form a loaded checkpoint has.
                    schedState = Json.parseObject(Json.write(scheduler.get()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("Checkpoint.builder: " + schedulerName + " state cannot be saved: "
                            + e.getMessage(), e);
                }
            }
            Map<String, long[]> rng = new LinkedHashMap<>();
            generators.forEach((k, g) -> rng.put(k, g.state()));
            return new Checkpoint("<memory>", copies, optimizer == null ? null : optimizer.name(), optimState,
                    schedulerName, schedState, epoch, globalStep, rng, new LinkedHashMap<>(extras));
        }
    }
}
