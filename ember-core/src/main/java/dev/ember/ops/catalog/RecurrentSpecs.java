package dev.ember.ops.catalog;

import dev.ember.ops.Recurrent;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

import static dev.ember.ops.catalog.Samples.randn;

/**
 * Catalogue entries for the fused recurrent time loops ({@link Recurrent#scan}), one per cell type.
 * As in {@link ConvSpecs}, the sample's shape selects the variant: batch 3 runs every sequence to the
 * end, batch 4 uses variable lengths (packed batch sizes); 4 steps run forward, 5 steps in reverse
 * (with a transposed hidden weight). Checked to first order: the fused backward is hand-written and
 * refuses double backward.
 */
final class RecurrentSpecs {
    private RecurrentSpecs() {
    }

    private static final int H = 2;

    static List<OpSpec> all() {
        List<OpSpec> l = new ArrayList<>();
        for (Recurrent.Mode mode : Recurrent.Mode.values()) {
            l.add(OpSpec.firstOrder(mode.opName() + "Scan", g -> List.of(
                            new OpSpec.Sample("forward", sample(g, mode, 4, 3)),
                            new OpSpec.Sample("reverse, transposed weight", sample(g, mode, 5, 3)),
                            new OpSpec.Sample("forward, variable lengths", sample(g, mode, 4, 4)),
                            new OpSpec.Sample("reverse, variable lengths, transposed weight", sample(g, mode, 5, 4))),
                    in -> run(mode, in)));
        }
        return l;
    }

    /** Inputs: gi, h0, then c0 (LSTM), then the hidden weight, then b_hh (GRU). */
    private static Tensor[] sample(Generator g, Recurrent.Mode mode, int steps, int n) {
        int gh = mode.gates() * H;
        List<Tensor> in = new ArrayList<>();
        in.add(randn(g, steps, n, gh));
        in.add(randn(g, n, H));
        if (mode == Recurrent.Mode.LSTM) in.add(randn(g, n, H));
        in.add(randn(g, gh, H));
        if (mode == Recurrent.Mode.GRU) in.add(randn(g, gh));
        return in.toArray(Tensor[]::new);
    }

    private static Tensor run(Recurrent.Mode mode, Tensor[] in) {
        boolean lstm = mode == Recurrent.Mode.LSTM, gru = mode == Recurrent.Mode.GRU;
        Tensor gi = in[0], h0 = in[1], c0 = lstm ? in[2] : null, whh = in[lstm ? 3 : 2], bhh = gru ? in[3] : null;
        int steps = gi.size(0), n = gi.size(1);
        boolean reverse = steps == 5;
        if (reverse) whh = whh.t().contiguous().t(); // same values, column-major storage
        int[] batchSizes = n == 4 ? (reverse ? new int[] {4, 4, 2, 1, 1} : new int[] {4, 3, 3, 1}) : null;
        return Recurrent.scan(mode, gi, h0, c0, whh, bhh, reverse, batchSizes);
    }
}
