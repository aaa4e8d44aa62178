package dev.ember.train.tensorboard;

import dev.ember.tensor.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes TensorBoard event files, with the API of PyTorch's {@code torch.utils.tensorboard.SummaryWriter}.
 * View them with {@code tensorboard --logdir <logDir>}.
 *
 * <pre>{@code
 * try (var tb = new SummaryWriter(Path.of("runs/fmnist"))) {
 *     for (int step = 0; step < steps; step++) {
 *         tb.addScalar("loss/train", loss, step);
 *         if (step % 100 == 0) tb.addHistogram("fc1/weight", fc1.weight(), step);
 *     }
 *     tb.addImage("samples/0", batch.x().select(0, 0).unsqueeze(0), 0);   // [1, 28, 28] in [0, 1]
 *     tb.addText("config", "lr=0.05, momentum=0.9", 0);
 * }
 * }</pre>
 *
 * <p>Each writer creates one file {@code events.out.tfevents.<unix seconds>.<hostname>} in
 * {@code logDir}: TFRecord-framed, protobuf-encoded {@code Event} messages, the first carrying
 * {@code file_version "brain.Event:2"}, each with its wall time and step. No protobuf library is
 * needed. Events are flushed on {@link #flush()}, on {@link #close()}, every 10 pending events and
 * every flush interval (10 s by default). A failing event (bad tensor, NaN histogram) throws before
 * anything is written, so the file never holds a partial record.
 *
 * <p>Methods throw {@link UncheckedIOException} when the file cannot be written and are safe to
 * call from several threads.
 */
public final class SummaryWriter implements AutoCloseable {
    /** How often pending events are flushed by default. */
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(10);

    private final Path logDir;
    private final Duration flushInterval;
    private final EventFileWriter events;
    /** Writers of {@link #addScalars}, one per sub-run folder, created on first use. */
    private final Map<String, EventFileWriter> scalarsWriters = new LinkedHashMap<>();
    /** Set by {@link #close()} (guarded by scalarsWriters) so addScalars opens no new files after it. */
    private boolean closed;

    /** A writer for a new event file in {@code logDir} (created if missing). */
    public SummaryWriter(Path logDir) {
        this(logDir, DEFAULT_FLUSH_INTERVAL);
    }

    /** A writer that flushes pending events at least every {@code flushInterval}. */
    public SummaryWriter(Path logDir, Duration flushInterval) {
        this.logDir = logDir;
        this.flushInterval = flushInterval;
        try {
            this.events = new EventFileWriter(logDir, flushInterval);
        } catch (IOException e) {
            throw EventFileWriter.unchecked(e);
        }
    }

    /** The run folder. */
    public Path logDir() {
        return logDir;
    }

    /** The event file this writer appends to. */
    public Path file() {
        return events.file();
    }

    /** Logs one scalar (stored as float32, as TensorBoard does) under {@code tag} at {@code step}. */
    public void addScalar(String tag, double value, long step) {
        write(events, step, Summaries.scalar(tag, (float) value));
    }

    /**
     * Logs several scalars on one chart, as PyTorch does: each entry goes to its own sub-run
     * {@code <logDir>/<mainTag>_<key>} (slashes in mainTag become underscores) under the tag
     * {@code mainTag}, so TensorBoard draws one line per key on the {@code mainTag} chart.
     */
    public void addScalars(String mainTag, Map<String, ? extends Number> values, long step) {
        for (Map.Entry<String, ? extends Number> e : values.entrySet()) {
            String dir = mainTag.replace('/', '_') + "_" + e.getKey();
            EventFileWriter w;
            synchronized (scalarsWriters) {
                if (closed) throw new IllegalStateException("SummaryWriter: already closed (" + file() + ")");
                w = scalarsWriters.get(dir);
                if (w == null) {
                    try {
                        w = new EventFileWriter(logDir.resolve(dir), flushInterval);
                    } catch (IOException ex) {
                        throw EventFileWriter.unchecked(ex);
                    }
                    scalarsWriters.put(dir, w);
                }
            }
            write(w, step, Summaries.scalar(mainTag, e.getValue().floatValue()));
        }
    }

    /**
     * Logs the distribution of {@code values} with TensorFlow's default exponential buckets (see
     * TensorBoard's Histograms and Distributions tabs).
     *
     * @throws IllegalArgumentException if there are no values or some are NaN
     */
    public void addHistogram(String tag, double[] values, long step) {
        write(events, step, Summaries.histogram(tag, Histogram.of(values, "addHistogram(\"" + tag + "\")")));
    }

    /** Logs the distribution of {@code values} (see {@link #addHistogram(String, double[], long)}). */
    public void addHistogram(String tag, float[] values, long step) {
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) d[i] = values[i];
        addHistogram(tag, d, step);
    }

    /** Logs the distribution of a tensor's elements, e.g. a layer's weights or their gradient. */
    public void addHistogram(String tag, Tensor values, long step) {
        addHistogram(tag, values.toDoubleArray(), step);
    }

    /**
     * Logs an image, PNG-encoded. {@code image} is {@code [C, H, W]} with C = 1, 3 or 4 (grey, RGB,
     * RGBA) or {@code [H, W]}; floating values are intensities in [0, 1], integer values pixels in 0..255.
     */
    public void addImage(String tag, Tensor image, long step) {
        write(events, step, Summaries.image(tag, PngImage.of(image, "addImage(\"" + tag + "\")")));
    }

    /**
     * Logs text (Markdown is rendered by TensorBoard's Text tab). As in PyTorch, it is stored as a
     * string tensor for the "text" plugin under the tag {@code <tag>/text_summary}.
     */
    public void addText(String tag, String text, long step) {
        write(events, step, Summaries.text(tag, text));
    }

    /**
     * Logs a model graph for the Graphs tab.
     *
     * @throws IllegalArgumentException for duplicate names or inputs that name no node
     */
    public void addGraph(List<GraphNode> nodes) {
        byte[] event = Summaries.graphEvent(now(), Summaries.graphDef(nodes));
        try {
            events.write(event);
        } catch (IOException e) {
            throw EventFileWriter.unchecked(e);
        }
    }

    /** Pushes all pending events to the files. */
    public void flush() {
        try {
            events.flush();
            for (EventFileWriter w : scalarWriters()) w.flush();
        } catch (IOException e) {
            throw EventFileWriter.unchecked(e);
        }
    }

    /** Flushes and closes all files of this writer; further logging throws IllegalStateException. */
    @Override
    public void close() {
        synchronized (scalarsWriters) {
            closed = true;
        }
        IOException failure = null;
        for (EventFileWriter w : scalarWriters()) failure = closeQuietly(w, failure);
        failure = closeQuietly(events, failure);
        if (failure != null) throw EventFileWriter.unchecked(failure);
    }

    private List<EventFileWriter> scalarWriters() {
        synchronized (scalarsWriters) {
            return List.copyOf(scalarsWriters.values());
        }
    }

    private static IOException closeQuietly(EventFileWriter w, IOException earlier) {
        try {
            w.close();
            return earlier;
        } catch (IOException e) {
            if (earlier == null) return e;
            earlier.addSuppressed(e);
            return earlier;
        }
    }

    /** Encodes the event completely, then hands the bytes to the file writer. */
    private static void write(EventFileWriter w, long step, ProtoWriter summary) {
        byte[] event = Summaries.summaryEvent(now(), step, summary);
        try {
            w.write(event);
        } catch (IOException e) {
            throw EventFileWriter.unchecked(e);
        }
    }

    private static double now() {
        return EventFileWriter.wallTime(Instant.now());
    }
}
