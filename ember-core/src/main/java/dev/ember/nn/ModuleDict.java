package dev.ember.nn;

import dev.ember.tensor.Tensor;

import java.util.Map;

/** Modules registered by name (insertion order kept); it has no forward. */
public final class ModuleDict extends Module {
    public ModuleDict() {
    }

    public ModuleDict(Map<String, ? extends Module> modules) {
        modules.forEach(this::put);
    }

    /** Registers {@code m} under {@code name}. */
    public ModuleDict put(String name, Module m) {
        register(name, m);
        return this;
    }

    /** The module named {@code name}, or null. */
    public Module get(String name) {
        return namedChildren().get(name);
    }

    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException("ModuleDict has no forward: look modules up by name and call them");
    }
}
