package dev.ember.train.callbacks;

import dev.ember.io.AtomicFiles;
import dev.ember.train.Callback;
import dev.ember.train.Logs;
import dev.ember.train.Trainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes one CSV row per epoch ({@code epoch,loss,accuracy,val_loss,val_accuracy,lr}; Keras's
 * {@code CSVLogger}, plus the learning rate). The whole file is rewritten atomically after each epoch
 * (temporary file + rename), so a crash never leaves a torn row. When training resumes at epoch e, rows
 * of earlier epochs already in the file are kept and later ones replaced.
 */
public final class CsvLogger implements Callback {
    private final Path file;
    private final List<String> rows = new ArrayList<>();
    private List<String> columns;
    private Trainer trainer;

    public CsvLogger(Path file) {
        this.file = file;
    }

    @Override
    public void onTrainBegin(Trainer trainer) {
        this.trainer = trainer;
        rows.clear();
        columns = null;
        if (trainer.initialEpoch() > 0 && Files.exists(file)) {
            try {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                if (!lines.isEmpty()) {
                    columns = List.of(lines.getFirst().split(",", -1));
                    for (String line : lines.subList(1, lines.size())) {
                        String first = line.split(",", 2)[0];
                        if (!first.isEmpty() && Integer.parseInt(first) < trainer.initialEpoch()) rows.add(line);
                    }
                }
            } catch (IOException | NumberFormatException e) {
                throw new IllegalStateException("CsvLogger: cannot continue " + file + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void onEpochEnd(int epoch, Logs logs) {
        Map<String, Double> values = logs.asMap();
        if (columns == null) {
            columns = new ArrayList<>();
            columns.add("epoch");
            columns.addAll(values.keySet());
            columns.add("lr");
        }
        StringBuilder row = new StringBuilder();
        for (String c : columns) {
            if (!row.isEmpty()) row.append(',');
            switch (c) {
                case "epoch" -> row.append(epoch);
                case "lr" -> row.append(number(trainer.learningRate()));
                default -> row.append(values.containsKey(c) ? number(values.get(c)) : "");
            }
        }
        rows.add(row.toString());
        StringBuilder text = new StringBuilder(String.join(",", columns)).append('\n');
        for (String r : rows) text.append(r).append('\n');
        try {
            AtomicFiles.writeString(file, text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("CsvLogger: cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }
}
