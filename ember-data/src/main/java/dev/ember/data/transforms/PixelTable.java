package dev.ember.data.transforms;

import dev.ember.data.Transform;

import java.util.ArrayList;
import java.util.List;

/**
 * Recognises pipelines that map each 8-bit pixel independently to a float ({@link ToTensor} followed by
 * any number of {@link Normalize}s, as a {@link Compose} or an {@code andThen} chain) and turns them
 * into a lookup table {@code table[channel][byte]}, so a dataset can convert a whole batch of uint8
 * images with one table lookup per pixel. The table holds exactly the floats the per-sample
 * transforms compute.
 */
public final class PixelTable {
    private PixelTable() {
    }

    /** {@code table[c][v]} = what {@code transform} makes of byte {@code v} in channel {@code c}, or null if it is not pixelwise. */
    public static float[][] of(Transform<?, ?> transform, int channels) {
        List<Transform<?, ?>> steps = new ArrayList<>();
        flatten(transform, steps);
        if (steps.isEmpty() || !(steps.getFirst() instanceof ToTensor)) return null;
        float[][] table = new float[channels][256];
        for (int c = 0; c < channels; c++) {
            for (int v = 0; v < 256; v++) table[c][v] = ToTensor.value(v);
        }
        for (Transform<?, ?> step : steps.subList(1, steps.size())) {
            if (!(step instanceof Normalize n)) return null;
            if (n.mean().length != 1 && n.mean().length != channels) return null;   // let the per-sample path report it
            for (int c = 0; c < channels; c++) {
                for (int v = 0; v < 256; v++) table[c][v] = n.apply(table[c][v], c);
            }
        }
        return table;
    }

    private static void flatten(Transform<?, ?> t, List<Transform<?, ?>> out) {
        switch (t) {
            case Compose<?, ?> c -> c.steps().forEach(s -> flatten(s, out));
            case Transform.Chain<?, ?, ?> ch -> {
                flatten(ch.first(), out);
                flatten(ch.second(), out);
            }
            default -> out.add(t);
        }
    }
}
