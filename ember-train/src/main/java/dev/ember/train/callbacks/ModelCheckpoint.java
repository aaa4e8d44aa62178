package dev.ember.train.callbacks;

import dev.ember.io.SafeTensors;
import dev.ember.train.Callback;
import dev.ember.train.Logs;
import dev.ember.train.Trainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Saves the model's weights as safetensors (PyTorch's names, so {@code load_state_dict} reads them) at
 * epoch ends (Keras's {@code ModelCheckpoint}): with a {@link Monitor}, only when the monitored value
 * improves ("best"); without one, after every epoch ("last"). Files are written atomically (temporary
 * file + rename): a crash leaves the previous file intact. The epoch and the monitored value go into the
 * file's {@code __metadata__}.
 */
public final class ModelCheckpoint implements Callback {
    private final Path file;
    private final Monitor monitor;
    private final Map<String, String> metadata = new java.util.LinkedHashMap<>();
    private Trainer trainer;
    private double best;
    private int bestEpoch = -1;

    /** Saves after every epoch. */
    public static ModelCheckpoint last(Path file) {
        return new ModelCheckpoint(file, null);
    }

    /** Saves when {@code monitor} improves. */
    public static ModelCheckpoint best(Path file, Monitor monitor) {
        return new ModelCheckpoint(file, java.util.Objects.requireNonNull(monitor, "ModelCheckpoint: monitor is null"));
    }

    private ModelCheckpoint(Path file, Monitor monitor) {
        this.file = java.util.Objects.requireNonNull(file, "ModelCheckpoint: file is null");
        this.monitor = monitor;
    }

    /** Extra {@code __metadata__} strings written into every file (e.g. the model's name and input shape). Returns this. */
    public ModelCheckpoint metadata(Map<String, String> values) {
        metadata.putAll(values);
        return this;
    }

    @Override
    public void onTrainBegin(Trainer trainer) {
        this.trainer = trainer;
        best = Double.NaN;
        bestEpoch = -1;
    }

    @Override
    public void onEpochEnd(int epoch, Logs logs) {
        if (monitor != null) {
            double v = monitor.value(logs, "ModelCheckpoint");
            if (!monitor.improved(v, best)) return;
            best = v;
            bestEpoch = epoch;
        }
        Map<String, String> meta = new java.util.LinkedHashMap<>();
        meta.put("format", "pt");
        meta.putAll(metadata);
        meta.put("epoch", Integer.toString(epoch));
        if (monitor != null) meta.put(monitor.name(), Double.toString(best));
        try {
            SafeTensors.write(file, trainer.model().stateDict(), meta);
        } catch (IOException e) {
            throw new UncheckedIOException("ModelCheckpoint: cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The best monitored value so far (NaN without a monitor or before the first epoch). */
    public double best() {
        return best;
    }

    /** The epoch whose weights the file holds with a monitor; -1 before any. */
    public int bestEpoch() {
        return bestEpoch;
    }
}
