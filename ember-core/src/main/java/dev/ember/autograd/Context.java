package dev.ember.autograd;

import dev.ember.tensor.DType;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;

/**
 * What an {@link Op} keeps between its forward and backward: saved tensors (checked against in-place
 * modification through their storage version), the inputs' shapes and dtypes, and which inputs need
 * a gradient.
 *
 * <p>When nothing will be differentiated the dispatcher passes {@link #NONE}, whose {@code save} is a
 * no-op, so ops never need to test whether they are being recorded before saving.
 */
public final class Context {
    /** The context given to ops whose result is not recorded for autograd. */
    public static final Context NONE = new Context(null, null, null, null, false);

    private final String opName;
    private final Shape[] inputShapes;
    private final DType[] inputDTypes;
    private final boolean[] needsInputGrad;
    private final boolean recording;
    private Tensor[] saved;
    private int[] savedVersions;
    private boolean saveOutput;
    private Tensor output;
    private int outputVersion;
    private boolean released;

    Context(String opName, Shape[] inputShapes, DType[] inputDTypes, boolean[] needsInputGrad, boolean recording) {
        this.opName = opName;
        this.inputShapes = inputShapes;
        this.inputDTypes = inputDTypes;
        this.needsInputGrad = needsInputGrad;
        this.recording = recording;
    }

    /** True when the op's result is recorded for backward (saving is worthwhile). */
    public boolean isRecording() {
        return recording;
    }

    /** Saves tensors for backward (inputs, or op-specific extras such as pooling indices). */
    public void save(Tensor... tensors) {
        if (!recording) return;
        saved = tensors.clone();
        savedVersions = new int[tensors.length];
        for (int i = 0; i < tensors.length; i++) {
            if (tensors[i] != null && tensors[i].storage() != null) {
                savedVersions[i] = tensors[i].storage().version();
            }
        }
    }

    /** Asks the dispatcher to save the op's output for backward (e.g. {@code exp}, {@code sigmoid}). */
    public void saveOutput() {
        if (recording) saveOutput = true;
    }

    /** Saved tensor {@code i}, after checking that it was not modified in place since it was saved. */
    public Tensor saved(int i) {
        checkAlive();
        if (saved == null || i < 0 || i >= saved.length) {
            throw new IllegalStateException(opName + ": backward asked for saved tensor " + i + " but "
                    + (saved == null ? "none were" : saved.length + " were") + " saved");
        }
        Tensor t = saved[i];
        if (t != null && t.storage() != null && t.storage().version() != savedVersions[i]) {
            throw modified(t, savedVersions[i]);
        }
        return t;
    }

    /** The op's output, saved with {@link #saveOutput()}, checked against in-place modification. */
    public Tensor output() {
        checkAlive();
        if (output == null) {
            throw new IllegalStateException(opName + ": backward asked for the output but forward did not call saveOutput()");
        }
        if (output.storage() != null && output.storage().version() != outputVersion) {
            throw modified(output, outputVersion);
        }
        return output;
    }

    private RuntimeException modified(Tensor t, int expected) {
        return new IllegalStateException(opName + ": one of the tensors needed for gradient computation has been "
                + "modified by an in-place operation: a tensor of shape " + t.shape() + " is at version "
                + t.storage().version() + ", expected version " + expected
                + ". Hint: use the out-of-place op (e.g. add instead of addInPlace), or clone() before modifying.");
    }

    private void checkAlive() {
        if (released) {
            throw new IllegalStateException(opName + ": trying to backward through the graph a second time (or directly "
                    + "access saved tensors after they have already been freed). Saved intermediate values of the graph "
                    + "are freed when you call backward(). Pass retainGraph=true if you need to backward twice.");
        }
    }

    /** Shape of input {@code i} at forward time. */
    public Shape inputShape(int i) {
        return inputShapes[i];
    }

    /** Dtype of input {@code i} at forward time. */
    public DType inputDType(int i) {
        return inputDTypes[i];
    }

    /** Number of inputs the op was applied to. */
    public int inputCount() {
        return inputShapes == null ? 0 : inputShapes.length;
    }

    /** Whether input {@code i} needs a gradient (backward may return null for it otherwise). */
    public boolean needsInputGrad(int i) {
        return needsInputGrad != null && needsInputGrad[i];
    }

    /** Name of the op this context belongs to. */
    public String opName() {
        return opName;
    }

    void bindOutput(Tensor out) {
        if (saveOutput) {
            output = out;
            outputVersion = out.storage() == null ? 0 : out.storage().version();
        }
    }

    void release() {
        saved = null;
        output = null;
        released = true;
    }
}
