package dev.ember.autograd;

import dev.ember.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * One recorded op application in the dynamic graph: the op, its saved context, and for each input
 * the node its gradient flows to (null where the input needs no gradient). A leaf tensor that
 * requires grad has an accumulating node (no op) that adds incoming gradients into its
 * {@code grad()}. Nodes are what {@link Tensor#gradFn()} returns.
 */
public final class Node {
    private static final AtomicLong SEQUENCE = new AtomicLong();

    final Op op;
    final Context ctx;
    final Node[] next;
    final Tensor leaf;
    /** Creation order: the engine runs later nodes first, which frees memory soonest. */
    final long sequence;
    List<UnaryOperator<Tensor>> hooks;
    /** Where user code called the op, recorded only in anomaly-detection mode. */
    final String createdAt;

    Node(Op op, Context ctx, Node[] next, Tensor leaf) {
        this.op = op;
        this.ctx = ctx;
        this.next = next;
        this.leaf = leaf;
        this.sequence = SEQUENCE.incrementAndGet();
        this.createdAt = Anomaly.isEnabled() ? Anomaly.callSite() : null;
    }

    /** The accumulating node for a leaf tensor (see {@code TensorAccess.accumulator}). */
    public static Node accumulatorFor(Tensor leaf) {
        return new Node(null, null, new Node[0], leaf);
    }

    /** The op's name, or {@code accumulateGrad} for a leaf's node. */
    public String name() {
        return op == null ? "accumulateGrad" : op.name();
    }

    /** The op this node applies backward for (null for a leaf's accumulating node). */
    public Op op() {
        return op;
    }

    /** The nodes gradients flow to next, one per input (null for inputs that need no gradient). */
    public List<Node> nextFunctions() {
        return Collections.unmodifiableList(Arrays.asList(next));
    }

    /** True for the node that accumulates into a leaf's {@code grad()}. */
    public boolean isAccumulator() {
        return op == null;
    }

    /** Adds a hook applied to the gradient arriving at this node before it is used. */
    public void addHook(UnaryOperator<Tensor> hook) {
        if (hooks == null) hooks = new ArrayList<>(1);
        hooks.add(hook);
    }

    @Override
    public String toString() {
        return name() + "Backward";
    }
}
