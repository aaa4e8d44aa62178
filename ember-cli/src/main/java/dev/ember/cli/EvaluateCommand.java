package dev.ember.cli;

import dev.ember.data.Batch;
import dev.ember.data.DataLoader;
import dev.ember.io.Json;
import dev.ember.train.ConfusionMatrix;
import dev.ember.train.Logs;
import dev.ember.train.Metrics;
import dev.ember.train.Trainer;
import dev.ember.optim.SGD;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ember evaluate --checkpoint runs/.../model.safetensors}: loss, accuracy, macro F1 and per-class
 * accuracy of a trained model on its dataset's test split.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, description = "Evaluate a trained model on the test split.")
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, description = "model.safetensors written by ember train.")
    Path checkpoint;

    @Option(names = "--dataset", description = "Dataset to evaluate on. Default: the one the model was trained on.")
    String dataset;

    @Option(names = "--data", description = "Folder searched first for the dataset files.")
    Path data;

    @Option(names = "--batch-size", description = "Default: ${DEFAULT-VALUE}.", defaultValue = "1000")
    int batchSize;

    @Option(names = "--json", description = "Print a JSON summary as the last line of output.")
    boolean json;

    @Option(names = "--debug", description = "Show stack traces of errors.")
    boolean debug;

    @Override
    public Integer call() throws Exception {
        if (batchSize < 1) throw new IllegalArgumentException("--batch-size must be at least 1, got " + batchSize);
        SavedModel saved = SavedModel.load(checkpoint);
        TrainingData d = TrainingData.load(dataset != null ? dataset : saved.dataset(), data);
        if (d.channels() != saved.channels() || d.height() != saved.height() || d.width() != saved.width()
                || d.classes().size() != saved.classes().size()) {
            throw new IllegalArgumentException("dataset " + d.name() + " has inputs [" + d.channels() + ", " + d.height() + ", " + d.width()
                    + "] and " + d.classes().size() + " classes, but the model expects [" + saved.channels() + ", " + saved.height() + ", "
                    + saved.width() + "] and " + saved.classes().size());
        }
        DataLoader<Batch> test = DataLoader.builder(d.test()).batchSize(batchSize).build();
        int k = saved.classes().size();
        ConfusionMatrix cm = Metrics.confusionMatrix(k);
        // The optimizer is never stepped: evaluate only runs the model.
        Trainer trainer = new Trainer(saved.model(), new SGD(saved.model().parameters(), 0.0), dev.ember.nn.F::crossEntropy,
                Metrics.accuracy(), Metrics.f1(k), cm);
        Logs logs = trainer.evaluate(test);
        System.out.printf(Locale.ROOT, "%s on %s test (%d images): loss %.4f, accuracy %.4f, macro F1 %.4f%n", saved.modelName(), d.name(),
                d.test().size(), logs.get("loss"), logs.get("accuracy"), logs.get("f1"));
        long[][] m = cm.matrix();
        for (int c = 0; c < k; c++) {
            long total = 0;
            for (long v : m[c]) total += v;
            System.out.printf(Locale.ROOT, "  %-14s %6.2f%% of %d%n", saved.classes().get(c), total == 0 ? 0 : 100.0 * m[c][c] / total, total);
        }
        if (json) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("test", Map.of("loss", logs.get("loss"), "accuracy", logs.get("accuracy"), "f1", logs.get("f1")));
            s.put("checkpoint", checkpoint.toString());
            System.out.println(Json.write(s));
        }
        return 0;
    }
}
