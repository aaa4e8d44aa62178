package dev.ember.nn;

import dev.ember.autograd.Grad;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds {@link Module#summary}: one row per module that owns parameters or has no children. */
final class Summary {
    private Summary() {
    }

    private record Row(String name, String type, String shape, long params) {
    }

    static String of(Module model, int[] inputShape) {
        Map<String, Module> all = model.namedModules();
        Map<Module, String> names = new IdentityHashMap<>();
        for (var e : all.entrySet()) names.putIfAbsent(e.getValue(), e.getKey());
        List<Row> rows = new ArrayList<>();
        List<Grad.Scope> handles = new ArrayList<>();
        for (var e : all.entrySet()) {
            Module m = e.getValue();
            boolean leaf = m.namedChildren().isEmpty();
            if (m == model && !leaf) continue;
            if (!leaf) continue;
            handles.add(m.registerForwardHook((mod, in, out) -> rows.add(new Row(names.get(mod), mod.getClass().getSimpleName(),
                    out.shape().toString(), ownParams(mod)))));
        }
        boolean wasTraining = model.isTraining();
        try (var g = Grad.off()) {
            model.eval();
            Tensor out = model.call(Tensor.zeros(Shape.of(inputShape), dev.ember.tensor.DType.FLOAT32));
            if (rows.isEmpty()) rows.add(new Row("", model.getClass().getSimpleName(), out.shape().toString(), ownParams(model)));
        } finally {
            model.train(wasTraining);
            for (Grad.Scope h : handles) h.close();
        }
        long total = 0, trainable = 0;
        for (Tensor p : model.parameters()) {
            total += p.numel();
            if (p.requiresGrad()) trainable += p.numel();
        }
        int w1 = "Layer (type)".length(), w2 = "Output Shape".length();
        for (Row r : rows) {
            w1 = Math.max(w1, label(r).length());
            w2 = Math.max(w2, r.shape.length());
        }
        w1 += 3;
        w2 += 3;
        String rule = "=".repeat(w1 + w2 + 12);
        StringBuilder sb = new StringBuilder();
        sb.append(model.getClass().getSimpleName()).append(" summary, input ").append(Shape.of(inputShape)).append('\n');
        sb.append(pad("Layer (type)", w1)).append(pad("Output Shape", w2)).append("Param #\n").append(rule).append('\n');
        for (Row r : rows) {
            sb.append(pad(label(r), w1)).append(pad(r.shape, w2)).append(String.format(Locale.ROOT, "%,d", r.params)).append('\n');
        }
        sb.append(rule).append('\n');
        sb.append(String.format(Locale.ROOT, "Total params: %,d%nTrainable params: %,d%nNon-trainable params: %,d%n",
                total, trainable, total - trainable));
        return sb.toString();
    }

    private static String label(Row r) {
        return r.name.isEmpty() ? r.type : r.name + " (" + r.type + ")";
    }

    private static long ownParams(Module m) {
        long n = 0;
        for (var e : m.namedParameters().entrySet()) n += e.getValue().numel();
        return n;
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s + " " : s + " ".repeat(w - s.length());
    }
}
