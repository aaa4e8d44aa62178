package dev.ember.cli;

import dev.ember.io.Json;
import dev.ember.io.SafeTensors;
import dev.ember.nn.Module;
import dev.ember.tensor.Tensor;
import dev.ember.train.models.Models;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model saved by {@code ember train} ({@code model.safetensors} in a run folder), rebuilt from the
 * {@code ember.*} metadata it carries: the architecture's name, the input shape, the class names and the
 * normalisation, so {@code evaluate} and {@code predict} need only the file.
 */
record SavedModel(Module model, String modelName, String dataset, int channels, int height, int width, List<String> classes,
                  double[] mean, double[] std) {

    static SavedModel load(Path file) throws IOException {
        if (!Files.exists(file)) throw new NoSuchFileException(file + " (no such checkpoint file)");
        SafeTensors st;
        try {
            st = SafeTensors.read(file);
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot read checkpoint " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> meta = st.metadata();
        String name = meta.get("ember.model");
        if (name == null) {
            throw new IllegalArgumentException(file + " has no ember.model metadata: it was not written by ember train "
                    + "(pass the model.safetensors of a run folder)");
        }
        String[] shape = require(meta, "ember.input_shape", file).split(",");
        int c = Integer.parseInt(shape[0].trim()), h = Integer.parseInt(shape[1].trim()), w = Integer.parseInt(shape[2].trim());
        List<String> classes = ((List<?>) Json.parse(require(meta, "ember.classes", file))).stream().map(String::valueOf).toList();
        double[] mean = numbers(require(meta, "ember.mean", file));
        double[] std = numbers(require(meta, "ember.std", file));
        Module model = Models.create(name, c, h, w, classes.size());
        Map<String, Tensor> weights = new LinkedHashMap<>(st.tensors());
        try {
            model.loadStateDict(weights, true);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("checkpoint " + file + " does not fit model " + name + ": " + e.getMessage(), e);
        }
        model.eval();
        return new SavedModel(model, name, meta.getOrDefault("ember.dataset", "?"), c, h, w, classes, mean, std);
    }

    private static String require(Map<String, String> meta, String key, Path file) {
        String v = meta.get(key);
        if (v == null) throw new IllegalArgumentException(file + ": metadata " + key + " is missing (file written by another tool?)");
        return v;
    }

    private static double[] numbers(String json) {
        return ((List<?>) Json.parse(json)).stream().mapToDouble(o -> ((Number) o).doubleValue()).toArray();
    }
}
