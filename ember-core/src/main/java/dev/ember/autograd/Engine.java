package dev.ember.autograd;

import dev.ember.tensor.Storage;
import dev.ember.tensor.Tensor;
import dev.ember.tensor.TensorAccess;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The backward pass: a topological walk of the recorded graph from the outputs, latest node first.
 * Each node's incoming gradients are summed, its hooks applied, its op's backward called, and the
 * results passed to the nodes of its inputs; leaf nodes add into {@code grad()} (or, for
 * {@link Grad#of}, hand the gradient back instead).
 */
public final class Engine {
    private Engine() {
    }

    /** {@code root.backward(gradient)}: accumulates into the leaves' {@code grad()}. */
    public static void backward(Tensor root, Tensor gradient, boolean retainGraph, boolean createGraph) {
        if (!root.requiresGrad()) {
            throw new IllegalStateException("backward: the tensor (shape " + root.shape() + ") does not require grad and has "
                    + "no gradFn. Hint: call requiresGrad(true) on the inputs you want gradients for, and make sure the "
                    + "computation did not run inside Grad.off().");
        }
        Tensor g = rootGradient(root, gradient, "backward");
        run(new Tensor[] {root}, new Tensor[] {g}, null, false, retainGraph, createGraph);
    }

    /** Functional gradients of {@code outputs} with respect to {@code inputs} (see {@link Grad#of}). */
    static Tensor[] grad(Tensor[] outputs, Tensor[] gradOutputs, Tensor[] inputs, boolean retainGraph,
                         boolean createGraph, boolean allowUnused) {
        Tensor[] rootGrads = new Tensor[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            if (!outputs[i].requiresGrad()) {
                throw new IllegalArgumentException("Grad.of: output " + i + " (shape " + outputs[i].shape()
                        + ") does not require grad and has no gradFn");
            }
            rootGrads[i] = rootGradient(outputs[i], gradOutputs == null ? null : gradOutputs[i], "Grad.of");
        }
        for (int i = 0; i < inputs.length; i++) {
            if (!inputs[i].requiresGrad()) {
                throw new IllegalArgumentException("Grad.of: input " + i + " (shape " + inputs[i].shape()
                        + ") does not require grad, so it cannot have a gradient");
            }
        }
        Tensor[] result = run(outputs, rootGrads, inputs, true, retainGraph, createGraph);
        for (int i = 0; i < inputs.length; i++) {
            if (result[i] == null && !allowUnused) {
                throw new IllegalArgumentException("Grad.of: input " + i + " (shape " + inputs[i].shape()
                        + ") was not used to compute the outputs. Hint: pass allowUnused to get null for it.");
            }
        }
        return result;
    }

    private static Tensor rootGradient(Tensor root, Tensor gradient, String op) {
        if (gradient == null) {
            if (root.numel() != 1) {
                throw new IllegalArgumentException(op + ": a gradient can be implicitly created only for scalar outputs, "
                        + "this output has shape " + root.shape() + ". Hint: pass a gradient of that shape, or reduce with sum().");
            }
            return root.onesLike();
        }
        if (!gradient.shape().equals(root.shape())) {
            throw new IllegalArgumentException(op + ": gradient has shape " + gradient.shape() + " but the output has shape "
                    + root.shape());
        }
        return gradient;
    }

    private static Node nodeOf(Tensor t) {
        return t.gradFn() != null ? t.gradFn() : TensorAccess.accumulator(t);
    }

    private static Tensor[] run(Tensor[] roots, Tensor[] rootGrads, Tensor[] captures, boolean capture,
                                boolean retainGraph, boolean createGraph) {
        // 1. Discover the graph (iteratively: RNN graphs can be deep) and count each node's consumers.
        Map<Node, int[]> deps = new IdentityHashMap<>();
        ArrayDeque<Node> stack = new ArrayDeque<>();
        for (Tensor r : roots) {
            Node n = nodeOf(r);
            if (!deps.containsKey(n)) {
                deps.put(n, new int[1]);
                stack.push(n);
            }
        }
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            for (Node m : n.next) {
                if (m == null) continue;
                int[] c = deps.get(m);
                if (c == null) {
                    deps.put(m, new int[] {1});
                    stack.push(m);
                } else {
                    c[0]++;
                }
            }
        }
        Map<Node, Integer> captureIndex = null;
        Map<Node, Boolean> needed = null;
        if (capture) {
            captureIndex = new IdentityHashMap<>();
            for (int i = 0; i < captures.length; i++) captureIndex.putIfAbsent(nodeOf(captures[i]), i);
            needed = neededNodes(deps, captureIndex);
        }

        Tensor[] captured = capture ? new Tensor[captures.length] : null;
        Map<Node, Tensor> buffers = new IdentityHashMap<>();
        // Buffers whose memory no other tensor holds (made by a backward or by summing two gradients):
        // a leaf may take such a gradient as its .grad without the copy it otherwise needs.
        Set<Node> owned = Collections.newSetFromMap(new IdentityHashMap<>());
        PriorityQueue<Node> ready = new PriorityQueue<>((a, b) -> Long.compare(b.sequence, a.sequence));
        boolean prev = GradMode.set(createGraph);
        try {
            for (int i = 0; i < roots.length; i++) {
                Node n = nodeOf(roots[i]);
                buffers.merge(n, rootGrads[i], Tensor::add);
            }
            for (Tensor r : roots) {
                Node n = nodeOf(r);
                if (deps.get(n)[0] == 0 && !ready.contains(n)) ready.add(n);
            }
            while (!ready.isEmpty()) {
                Node node = ready.poll();
                Tensor g = buffers.remove(node);
                boolean gOwned = owned.remove(node);
                if (g != null && node.hooks != null) {
                    gOwned = false; // a hook may keep the tensor it was given
                    for (var h : node.hooks) {
                        Tensor r = h.apply(g);
                        if (r != null) g = r;
                    }
                }
                if (capture) {
                    Integer idx = captureIndex.get(node);
                    if (idx != null && g != null) {
                        for (int i = 0; i < captures.length; i++) {
                            if (nodeOf(captures[i]) == node) captured[i] = g;
                        }
                    }
                }
                if (node.isAccumulator()) {
                    if (!capture && g != null) accumulate(node.leaf, g, createGraph, gOwned);
                    continue;
                }
                boolean run = g != null && (!capture || needed.getOrDefault(node, false));
                Tensor[] grads = null;
                long before = Storage.lastSerial();
                if (run) {
                    grads = callBackward(node, g);
                    if (!retainGraph) node.ctx.release();
                    if (gOwned && !capture && !createGraph) recycleConsumed(node, g, grads);
                }
                for (int i = 0; i < node.next.length; i++) {
                    Node m = node.next[i];
                    if (m == null) continue;
                    if (grads != null && grads[i] != null) {
                        if (Anomaly.isEnabled()) Anomaly.checkBackward(node, i, grads[i]);
                        Tensor earlier = buffers.get(m);
                        if (earlier == null) {
                            buffers.put(m, grads[i]);
                            if (!createGraph && ownsItsMemory(node, grads, i, before)) owned.add(m);
                        } else {
                            buffers.put(m, earlier.add(grads[i]));
                            if (createGraph) {
                                owned.remove(m);
                            } else {
                                // Both addends are dead once summed when the engine owns them (a residual
                                // connection's two branches): their memory goes back for reuse.
                                if (!owned.add(m) && !capture) earlier.storage().recycle();
                                if (!capture && ownsItsMemory(node, grads, i, before)) grads[i].storage().recycle();
                            }
                        }
                    }
                    int[] c = deps.get(m);
                    if (--c[0] == 0) ready.add(m);
                }
            }
        } finally {
            GradMode.set(prev);
        }
        return captured;
    }

    private static Tensor[] callBackward(Node node, Tensor g) {
        Tensor[] grads;
        if (Anomaly.isEnabled()) {
            Node prev = Anomaly.enterBackward(node);
            try {
                grads = node.op.backward(node.ctx, g);
            } finally {
                Anomaly.exitBackward(prev);
            }
        } else {
            grads = node.op.backward(node.ctx, g);
        }
        if (grads == null || grads.length != node.next.length) {
            throw new IllegalStateException(node.name() + ": backward returned " + (grads == null ? "null" : grads.length + " gradients")
                    + " but the op has " + node.next.length + " inputs");
        }
        for (int i = 0; i < grads.length; i++) {
            if (grads[i] == null || node.next[i] == null) continue;
            if (!grads[i].shape().equals(node.ctx.inputShape(i))) {
                throw new IllegalStateException(node.name() + ": backward returned a gradient of shape " + grads[i].shape()
                        + " for input " + i + " of shape " + node.ctx.inputShape(i));
            }
        }
        return grads;
    }

    /**
     * Whether gradient {@code i} of a backward is the only tensor on memory that backward made: a whole,
     * contiguous storage created after {@code before}, returned for no other input, by one of Ember's own ops
     * (a user's op might keep the tensor it returns). Like PyTorch's AccumulateGrad stealing a gradient
     * nobody else references, this spares a leaf the copy of its first gradient (a weight gradient the size
     * of the weight on every training step).
     */
    private static boolean ownsItsMemory(Node node, Tensor[] grads, int i, long before) {
        Tensor g = grads[i];
        Storage s = g.storage();
        if (s.serial() <= before || !g.isContiguous() || g.offset() != 0 || s.size() != g.numel()) return false;
        return isEmberOp(node) && !sharesStorage(grads, i, s);
    }

    /** Whether the node's op is one of Ember's own (a user's op might keep the tensors it is given or returns). */
    private static boolean isEmberOp(Node node) {
        return node.op.getClass().getName().startsWith("dev.ember.");
    }

    /** Whether a gradient in {@code grads} other than number {@code skip} (-1: none skipped) is on storage {@code s}. */
    private static boolean sharesStorage(Tensor[] grads, int skip, Storage s) {
        for (int j = 0; j < grads.length; j++) {
            if (j != skip && grads[j] != null && grads[j].storage() == s) return true;
        }
        return false;
    }

    /**
     * Once an Ember op's backward has consumed a gradient buffer the engine owns, nothing reads that memory
     * again unless the backward passed it on (add and views return the gradient itself): otherwise its array
     * goes back for the next allocation of its size, as PyTorch's caching allocator reuses a freed block.
     * On the default CNN this spares the JVM zeroing ~20 MB of fresh memory a step.
     */
    private static void recycleConsumed(Node node, Tensor g, Tensor[] grads) {
        if (isEmberOp(node) && !sharesStorage(grads, -1, g.storage())) g.storage().recycle();
    }

    private static void accumulate(Tensor leaf, Tensor g, boolean createGraph, boolean owned) {
        if (!g.shape().equals(leaf.shape())) {
            throw new IllegalStateException("accumulateGrad: gradient of shape " + g.shape() + " for a leaf of shape " + leaf.shape());
        }
        if (g.dtype() != leaf.dtype()) {
            g = g.to(leaf.dtype());
            owned = true;
        }
        Tensor old = leaf.grad();
        if (createGraph) {
            TensorAccess.setGrad(leaf, old == null ? g : old.add(g));
        } else if (old == null || old.requiresGrad()) {
            // Own the storage: unless the engine knows g is its own, g may be shared with other gradients (add's
            // backward passes one tensor to both inputs) or be the caller's gradient tensor.
            TensorAccess.setGrad(leaf, old == null ? (owned ? g.detach() : g.detach().copy()) : old.detach().add(g));
        } else {
            old.addInPlace(g);
        }
    }

    /** Nodes from which some capture target can be reached: only these need their backward run. */
    private static Map<Node, Boolean> neededNodes(Map<Node, int[]> all, Map<Node, Integer> targets) {
        Map<Node, Boolean> needed = new IdentityHashMap<>();
        // Iterative post-order DFS over the discovered graph.
        for (Node start : all.keySet()) {
            if (needed.containsKey(start)) continue;
            ArrayDeque<Object[]> st = new ArrayDeque<>();
            st.push(new Object[] {start, 0});
            needed.put(start, Boolean.FALSE);
            Map<Node, Boolean> onStack = new IdentityHashMap<>();
            onStack.put(start, true);
            while (!st.isEmpty()) {
                Object[] top = st.peek();
                Node n = (Node) top[0];
                int i = (Integer) top[1];
                if (i < n.next.length) {
                    top[1] = i + 1;
                    Node m = n.next[i];
                    if (m != null && !needed.containsKey(m)) {
                        needed.put(m, Boolean.FALSE);
                        st.push(new Object[] {m, 0});
                    }
                } else {
                    st.pop();
                    boolean reach = targets.containsKey(n);
                    for (Node m : n.next) {
                        if (m != null && needed.get(m)) {
                            reach = true;
                            break;
                        }
                    }
                    needed.put(n, reach);
                }
            }
        }
        return needed;
    }
}
