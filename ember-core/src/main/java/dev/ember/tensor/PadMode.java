package dev.ember.tensor;

/**
 * How {@link Tensor#pad(int[], PadMode)} fills the new border (PyTorch's {@code F.pad} modes).
 * For {@code x = [1, 2, 3]} padded by 2 on each side:
 * <ul>
 *   <li>{@link #CONSTANT}: a fixed value, {@code [0, 0, 1, 2, 3, 0, 0]};</li>
 *   <li>{@link #REFLECT}: the mirror image without repeating the edge, {@code [3, 2, 1, 2, 3, 2, 1]};</li>
 *   <li>{@link #REPLICATE}: the edge value repeated, {@code [1, 1, 1, 2, 3, 3, 3]}.</li>
 * </ul>
 */
public enum PadMode {
    CONSTANT,
    REFLECT,
    REPLICATE;

    /** Lower-case name as PyTorch spells the mode. */
    public String pyName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
