package dev.ember.train.callbacks;

import dev.ember.autograd.Grad;
import dev.ember.nn.Module;
import dev.ember.tensor.Tensor;
import dev.ember.train.tensorboard.GraphNode;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model graph TensorBoard draws, traced by running one input through the model with forward hooks
 * on its leaf modules: one node per leaf call, named by the module's dotted path (so Sequential children
 * group under their parents' scopes), with an edge from the node that produced each input tensor. A
 * leaf whose input came from outside any leaf (a residual add inside a block, say) is linked to the
 * previous leaf, which is the data flow for chains and a close drawing for the rest.
 */
final class ModuleGraph {
    private ModuleGraph() {}

    static List<GraphNode> trace(Module model, Tensor sample) {
        Map<Module, String> names = new IdentityHashMap<>();
        model.namedModules().forEach((name, m) -> {
            if (m.children().isEmpty() && m != model) names.put(m, name.replace('.', '/'));
        });
        if (names.isEmpty()) names.put(model, model.getClass().getSimpleName());
        List<GraphNode> nodes = new ArrayList<>();
        nodes.add(new GraphNode("input", "Placeholder", List.of(), batchless(sample)));
        Map<Tensor, String> producer = new IdentityHashMap<>();
        producer.put(sample, "input");
        String[] previous = {"input"};
        Map<String, Integer> calls = new java.util.HashMap<>();
        List<Grad.Scope> hooks = new ArrayList<>();
        for (Module m : names.keySet()) {
            hooks.add(m.registerForwardHook((mod, in, out) -> {
                String base = names.get(mod);
                int k = calls.merge(base, 1, Integer::sum);
                String name = k == 1 ? base : base + "_" + k;
                String from = producer.getOrDefault(in, previous[0]);
                nodes.add(new GraphNode(name, mod.getClass().getSimpleName(), List.of(from), batchless(out)));
                producer.put(out, name);
                previous[0] = name;
            }));
        }
        boolean training = model.isTraining();
        model.eval();
        try (var g = Grad.inference()) {
            model.call(sample);
        } finally {
            for (Grad.Scope h : hooks) h.close();
            model.train(training);
        }
        return nodes;
    }

    private static int[] batchless(Tensor t) {
        int[] s = t.shape().toArray();
        if (s.length > 0) s[0] = -1;
        return s;
    }
}
