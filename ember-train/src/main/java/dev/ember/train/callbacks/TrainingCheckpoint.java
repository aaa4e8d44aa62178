package dev.ember.train.callbacks;

import dev.ember.io.Checkpoint;
import dev.ember.io.Json;
import dev.ember.optim.lr.LRScheduler;
import dev.ember.tensor.Generator;
import dev.ember.train.Callback;
import dev.ember.train.History;
import dev.ember.train.Logs;
import dev.ember.train.Trainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a full training {@link Checkpoint} after every epoch (atomically: a crash leaves the previous one
 * intact): the model, the optimizer's state, the scheduler's, the next epoch and the global step, the
 * named random generators, user extras and the per-epoch logs so far. {@link #resume} puts all of it
 * back into fresh objects, so training continues exactly as if it had never stopped: the data loader
 * draws each epoch's order from its seed and the epoch number, and every other random draw comes from
 * a restored generator.
 *
 * <pre>{@code
 * TrainingCheckpoint ckpt = new TrainingCheckpoint(run.resolve("checkpoint.safetensors"))
 *         .generator("default", Generator.global());
 * trainer.fit(train, test, 10, ckpt);
 * // later, in a new process, after building the same model, optimizer and trainer:
 * History earlier = TrainingCheckpoint.resume(Checkpoint.load(file), trainer, null, Map.of("default", Generator.global()));
 * trainer.fit(train, test, 10, ckpt.after(earlier));
 * }</pre>
 */
public final class TrainingCheckpoint implements Callback {
    /** The extras key holding the per-epoch logs as JSON. */
    public static final String HISTORY_KEY = "history";

    private final Path file;
    private final Map<String, Generator> generators = new LinkedHashMap<>();
    private final Map<String, String> extras = new LinkedHashMap<>();
    private LRScheduler scheduler;
    private final List<Integer> epochNumbers = new ArrayList<>();
    private final List<Logs> epochLogs = new ArrayList<>();
    private Trainer trainer;

    public TrainingCheckpoint(Path file) {
        this.file = Objects.requireNonNull(file, "TrainingCheckpoint: file is null");
    }

    /** Also saves {@code generator}'s state under {@code name}. Returns this. */
    public TrainingCheckpoint generator(String name, Generator generator) {
        generators.put(Objects.requireNonNull(name, "TrainingCheckpoint: generator name is null"),
                Objects.requireNonNull(generator, "TrainingCheckpoint: generator is null"));
        return this;
    }

    /** Also saves the scheduler's state. Returns this. */
    public TrainingCheckpoint scheduler(LRScheduler s) {
        this.scheduler = s;
        return this;
    }

    /** A string saved in the checkpoint's extras (e.g. the run's configuration as JSON). Returns this. */
    public TrainingCheckpoint extra(String key, String value) {
        if (HISTORY_KEY.equals(key)) throw new IllegalArgumentException("TrainingCheckpoint: extra key '" + HISTORY_KEY + "' is reserved");
        extras.put(key, value);
        return this;
    }

    /** Continues the logs of an earlier run (see {@link #resume}), so each checkpoint holds the whole history. Returns this. */
    public TrainingCheckpoint after(History earlier) {
        epochNumbers.addAll(earlier.epochNumbers());
        epochLogs.addAll(earlier.epochs());
        return this;
    }

    /** The file written. */
    public Path file() {
        return file;
    }

    @Override
    public void onTrainBegin(Trainer trainer) {
        this.trainer = trainer;
    }

    @Override
    public void onEpochEnd(int epoch, Logs logs) {
        epochNumbers.add(epoch);
        epochLogs.add(logs);
        Checkpoint.Builder b = Checkpoint.builder().model(trainer.model()).optimizer(trainer.optimizer())
                .epoch(epoch + 1).globalStep(trainer.globalStep()).extras(extras).extra(HISTORY_KEY, historyJson());
        if (scheduler != null) b.scheduler(scheduler);
        generators.forEach(b::generator);
        try {
            b.build().save(file);
        } catch (IOException e) {
            throw new UncheckedIOException("TrainingCheckpoint: cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private String historyJson() {
        List<Object> rows = new ArrayList<>();
        for (int i = 0; i < epochLogs.size(); i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("epoch", epochNumbers.get(i));
            Map<String, Object> values = new LinkedHashMap<>();
            // JSON has no NaN or infinity: such values (a diverged loss) go as strings Double.parseDouble reads back.
            epochLogs.get(i).asMap().forEach((k, v) -> values.put(k, Double.isFinite(v) ? (Object) v : Double.toString(v)));
            row.put("logs", values);
            rows.add(row);
        }
        return Json.write(rows);
    }

    /**
     * Restores {@code ckpt} into the trainer's model and optimizer (and {@code scheduler}, may be null), the
     * named generators, and the trainer's next epoch and global step. Returns the logs of the epochs the
     * checkpoint saw. Fails with a message naming the checkpoint when something does not match.
     */
    public static History resume(Checkpoint ckpt, Trainer trainer, LRScheduler scheduler, Map<String, Generator> generators) {
        if (scheduler != null) ckpt.restore(trainer.model(), trainer.optimizer(), scheduler);
        else ckpt.restore(trainer.model(), trainer.optimizer());
        generators.forEach(ckpt::restoreGenerator);
        if (ckpt.epoch() > Integer.MAX_VALUE) throw new IllegalArgumentException("TrainingCheckpoint: epoch " + ckpt.epoch() + " is out of range");
        trainer.initialEpoch((int) ckpt.epoch()).globalStep(ckpt.globalStep());
        return history(ckpt);
    }

    /** The per-epoch logs saved in {@code ckpt} (empty if it has none). */
    @SuppressWarnings("unchecked")
    public static History history(Checkpoint ckpt) {
        List<Integer> numbers = new ArrayList<>();
        List<Logs> logs = new ArrayList<>();
        if (ckpt.extras().containsKey(HISTORY_KEY)) {
            for (Object o : (List<Object>) Json.parse(ckpt.extra(HISTORY_KEY))) {
                Map<String, Object> row = (Map<String, Object>) o;
                numbers.add(((Number) row.get("epoch")).intValue());
                Map<String, Double> values = new LinkedHashMap<>();
                ((Map<String, Object>) row.get("logs")).forEach((k, v) -> values.put(k, v instanceof Number n ? n.doubleValue() : Double.parseDouble((String) v)));
                logs.add(Logs.of(values));
            }
        }
        return History.of(numbers, logs);
    }
}
