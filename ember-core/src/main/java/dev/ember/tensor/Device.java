package dev.ember.tensor;

import java.util.Objects;

/**
 * Where a tensor's storage lives. Only the CPU exists today; CUDA devices will plug in behind the
 * {@link dev.ember.kernels.Backend} interface without changing user code.
 *
 * @param type  the kind of device
 * @param index the device ordinal (0 for the CPU)
 */
public record Device(Type type, int index) {
    /** The kinds of device Ember knows about. */
    public enum Type { CPU, CUDA }

    /** The host CPU (all cores, one shared thread pool). */
    public static final Device CPU = new Device(Type.CPU, 0);

    public Device {
        Objects.requireNonNull(type, "type");
        if (index < 0) throw new IllegalArgumentException("Device: index must be >= 0, got " + index);
    }

    /** A CUDA device by ordinal (backend not yet available). */
    public static Device cuda(int index) {
        return new Device(Type.CUDA, index);
    }

    /** Parses {@code "cpu"}, {@code "cuda"} or {@code "cuda:1"}. */
    public static Device parse(String s) {
        String t = s.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("cpu")) return CPU;
        if (t.equals("cuda")) return cuda(0);
        if (t.startsWith("cuda:")) {
            try {
                return cuda(Integer.parseInt(t.substring(5)));
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new IllegalArgumentException("Device: cannot parse '" + s + "' (expected cpu, cuda or cuda:N)");
    }

    @Override
    public String toString() {
        return type == Type.CPU ? "cpu" : "cuda:" + index;
    }
}
