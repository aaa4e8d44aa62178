package dev.ember.ops.catalog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Every differentiable op Ember has, as {@link OpSpec}s. Each op family contributes its own list;
 * the test suite and {@code ember gradcheck} run gradient checks over all of them.
 */
public final class OpCatalog {
    private OpCatalog() {
    }

    /** All specs, family by family. */
    public static List<OpSpec> all() {
        List<OpSpec> l = new ArrayList<>();
        l.addAll(CoreSpecs.elementwise());
        l.addAll(CoreSpecs.reductions());
        l.addAll(CoreSpecs.views());
        l.addAll(CoreSpecs.linalg());
        l.addAll(IndexingSpecs.indexing()); l.addAll(IndexingSpecs.joining()); l.addAll(IndexingSpecs.shapes());
        l.addAll(ConvSpecs.all());
        l.addAll(LossSpecs.all());
        l.addAll(RecurrentSpecs.all());
        return Collections.unmodifiableList(l);
    }
}
