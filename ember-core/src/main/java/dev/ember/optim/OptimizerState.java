package dev.ember.optim;

import dev.ember.io.Json;
import dev.ember.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An optimizer's state dict in a form a checkpoint can hold: named tensors plus a small JSON
 * document, laid out as PyTorch's {@code optimizer.state_dict()}.
 *
 * <ul>
 *   <li>{@code tensors}: {@code "state.<i>.<buffer>"} for parameter index {@code i} (numbered
 *       across groups in order, as PyTorch does), e.g. {@code state.0.exp_avg}, and
 *       {@code state.<i>.step} as a 0-d FLOAT64 tensor for optimizers that count steps;</li>
 *   <li>{@code paramGroups}: one map per group with its options ({@code lr}, {@code betas}, ...)
 *       and {@code "params"}: the list of its parameter indices.</li>
 * </ul>
 *
 * <pre>{@code
 * OptimizerState s = opt.stateDict();
 * writer.put(s.tensors()).metadata("optimizer", s.paramGroupsJson());    // save
 * opt.loadStateDict(OptimizerState.of(tensorsRead, metadataRead));        // restore
 * }</pre>
 *
 * @param tensors     state tensors by name
 * @param paramGroups per-group options and parameter indices (JSON-able values only)
 */
public record OptimizerState(Map<String, Tensor> tensors, List<Map<String, Object>> paramGroups) {
    public OptimizerState {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        List<Map<String, Object>> groups = new ArrayList<>();
        for (Map<String, Object> g : paramGroups) groups.add(Collections.unmodifiableMap(new LinkedHashMap<>(g)));
        paramGroups = Collections.unmodifiableList(groups);
    }

    /** The param groups as a JSON array (what a checkpoint stores next to the tensors). */
    public String paramGroupsJson() {
        return Json.write(paramGroups);
    }

    /** Rebuilds a state dict from its tensors and the JSON written by {@link #paramGroupsJson()}. */
    @SuppressWarnings("unchecked")
    public static OptimizerState of(Map<String, Tensor> tensors, String paramGroupsJson) {
        Object parsed = Json.parse(paramGroupsJson);
        if (!(parsed instanceof List<?> list)) {
            throw new IllegalArgumentException("OptimizerState.of: param groups JSON must be an array, got " + paramGroupsJson);
        }
        List<Map<String, Object>> groups = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> m)) throw new IllegalArgumentException("OptimizerState.of: each param group must be an object");
            groups.add((Map<String, Object>) m);
        }
        return new OptimizerState(tensors, groups);
    }
}
