package dev.ember.ops.catalog;

import dev.ember.tensor.Generator;
import dev.ember.tensor.PadMode;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

import static dev.ember.ops.catalog.Samples.randn;

/**
 * Catalogue entries for indexing, joining and shape ops (gather/scatter, index select/add, masked
 * fill, cat/stack/split, pad, repeat, flip, tril/triu). These ops are linear in their data inputs,
 * so most entries square the result: the second-order check then exercises the backward of the
 * backward (scatterAdd's gather, padBackward's pad, ...) instead of a constant gradient.
 */
final class IndexingSpecs {
    private IndexingSpecs() {
    }

    private static OpSpec.Sample sample(String label, Tensor... inputs) {
        return new OpSpec.Sample(label, inputs);
    }

    /** INT64 indices uniform in [0, bound) (repeats likely). */
    private static Tensor index(Generator g, int bound, int... shape) {
        return Tensor.randint(g, 0, bound, Shape.of(shape));
    }

    /** INT64 indices of a 2-D shape, distinct within every line along {@code dim} (scatter needs no collisions). */
    private static Tensor distinctIndex(Generator g, int bound, int dim, int rows, int cols) {
        long[] out = new long[rows * cols];
        int lines = dim == 0 ? cols : rows, len = dim == 0 ? rows : cols;
        for (int l = 0; l < lines; l++) {
            long[] perm = new long[bound];
            for (int i = 0; i < bound; i++) perm[i] = i;
            for (int i = bound - 1; i > 0; i--) { // Fisher-Yates
                int j = g.nextInt(i + 1);
                long t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
            for (int k = 0; k < len; k++) out[dim == 0 ? k * cols + l : l * cols + k] = perm[k];
        }
        return Tensor.of(out, rows, cols);
    }

    static List<OpSpec> indexing() {
        List<OpSpec> l = new ArrayList<>();
        l.add(OpSpec.of("gather", g -> List.of(sample("3d dim 1, repeated indices", randn(g, 3, 4, 5), index(g, 4, 3, 2, 5))),
                in -> in[0].gather(1, in[1]).square()));
        l.add(OpSpec.of("gatherTransposed", g -> List.of(sample("transposed input, dim -1", randn(g, 5, 4), index(g, 5, 4, 3))),
                in -> in[0].t().gather(-1, in[1]).square()));
        l.add(OpSpec.of("scatter", g -> List.of(sample("dim 1", randn(g, 3, 5), distinctIndex(g, 5, 1, 3, 4), randn(g, 3, 4)),
                        sample("src larger than index", randn(g, 3, 5), distinctIndex(g, 5, 1, 2, 3), randn(g, 3, 4))),
                in -> in[0].scatter(1, in[1], in[2]).square()));
        l.add(OpSpec.of("scatterTransposed", g -> List.of(sample("transposed self, dim -2", randn(g, 5, 4),
                        distinctIndex(g, 4, 0, 3, 5), randn(g, 3, 5))),
                in -> in[0].t().scatter(-2, in[1], in[2]).square()));
        l.add(OpSpec.of("scatterValue", g -> List.of(sample("dim 0", randn(g, 4, 3), distinctIndex(g, 4, 0, 2, 3))),
                in -> in[0].scatter(0, in[1], 2.5).square()));
        l.add(OpSpec.of("scatterAdd", g -> List.of(sample("dim 1, repeated indices", randn(g, 3, 4), index(g, 4, 3, 6), randn(g, 3, 6))),
                in -> in[0].scatterAdd(1, in[1], in[2]).square()));
        l.add(OpSpec.of("scatterAddSrcLarger", g -> List.of(sample("dim 0, src larger than index", randn(g, 3, 4), index(g, 3, 5, 2),
                        randn(g, 6, 4))),
                in -> in[0].scatterAdd(0, in[1], in[2]).square()));
        l.add(OpSpec.of("scatterAddNegativeDim", g -> List.of(sample("transposed src, dim -1", randn(g, 2, 5), index(g, 5, 2, 4),
                        randn(g, 4, 2))),
                in -> in[0].scatterAdd(-1, in[1], in[2].t()).square()));
        l.add(OpSpec.of("indexSelect", g -> List.of(sample("dim -1, repeated indices", randn(g, 3, 5), index(g, 5, 7))),
                in -> in[0].indexSelect(-1, in[1]).square()));
        l.add(OpSpec.of("indexSelectTransposed", g -> List.of(sample("transposed input, dim 0", randn(g, 3, 5), index(g, 5, 4))),
                in -> in[0].t().indexSelect(0, in[1]).square()));
        l.add(OpSpec.of("indexAdd", g -> List.of(sample("dim 0, repeated indices", randn(g, 4, 3), index(g, 4, 6), randn(g, 6, 3))),
                in -> in[0].indexAdd(0, in[1], in[2]).square()));
        l.add(OpSpec.of("index", g -> List.of(sample("2-d indices with negatives", randn(g, 5, 3),
                        Tensor.of(new long[] {0, -1, 3, 3}, 2, 2))),
                in -> in[0].index(in[1]).square()));
        l.add(OpSpec.of("maskedFill", g -> List.of(sample("broadcast mask", randn(g, 3, 4),
                        Tensor.of(new boolean[] {true, false, false, true}))),
                in -> in[0].maskedFill(in[1], -1.5).square()));
        l.add(OpSpec.of("maskedFillTensor", g -> List.of(sample("0-d value", randn(g, 3, 4),
                        Tensor.of(new boolean[] {false, true, true, false, true, false, false, false, true, true, false, false}, 3, 4),
                        randn(g))),
                in -> in[0].maskedFill(in[1], in[2]).square()));
        return l;
    }

    static List<OpSpec> joining() {
        List<OpSpec> l = new ArrayList<>();
        l.add(OpSpec.of("cat", g -> List.of(sample("dim -1, three sizes", randn(g, 2, 3), randn(g, 2, 1), randn(g, 2, 4))),
                in -> Tensor.cat(List.of(in[0], in[1], in[2]), -1).square()));
        l.add(OpSpec.of("catTransposed", g -> List.of(sample("transposed input, dim 0", randn(g, 3, 2), randn(g, 1, 3))),
                in -> Tensor.cat(List.of(in[0].t(), in[1]), 0).square()));
        l.add(OpSpec.of("stack", g -> List.of(sample("dim -1", randn(g, 2, 3), randn(g, 2, 3), randn(g, 2, 3))),
                in -> Tensor.stack(List.of(in[0], in[1], in[2]), -1).square()));
        l.add(OpSpec.of("split", g -> List.of(sample("uneven pieces", randn(g, 7, 3))), in -> {
            List<Tensor> p = in[0].split(3, 0);
            return Tensor.cat(List.of(p.get(0).exp(), p.get(1).square(), p.get(2).sin()), 0);
        }));
        l.add(OpSpec.of("splitSizes", g -> List.of(sample("sizes along -1 of a transpose", randn(g, 6, 3))), in -> {
            List<Tensor> p = in[0].t().split(new int[] {1, 2, 3}, -1);
            return Tensor.cat(List.of(p.get(0).square(), p.get(1).exp(), p.get(2).mul(p.get(2))), 1);
        }));
        l.add(OpSpec.of("chunk", g -> List.of(sample("3 chunks of 7", randn(g, 2, 7))), in -> {
            List<Tensor> p = in[0].chunk(3, 1);
            return p.get(0).square().sum().add(p.get(1).exp().sum()).add(p.get(2).sin().sum());
        }));
        return l;
    }

    static List<OpSpec> shapes() {
        List<OpSpec> l = new ArrayList<>();
        l.add(OpSpec.of("padConstant", g -> List.of(sample("two dims, value", randn(g, 2, 3, 4))),
                in -> in[0].pad(new int[] {1, 2, 0, 1}, 0.5).square()));
        l.add(OpSpec.of("padCrop", g -> List.of(sample("negative pads crop", randn(g, 3, 5))),
                in -> in[0].pad(-1, 2, 1, -1).square()));
        l.add(OpSpec.of("padReflect", g -> List.of(sample("two dims", randn(g, 2, 3, 5))),
                in -> in[0].pad(new int[] {2, 3, 1, 2}, PadMode.REFLECT).square()));
        l.add(OpSpec.of("padReflectTransposed", g -> List.of(sample("transposed input", randn(g, 4, 3))),
                in -> in[0].t().pad(new int[] {3, 1}, PadMode.REFLECT).square()));
        l.add(OpSpec.of("padReplicate", g -> List.of(sample("two dims", randn(g, 2, 4, 3))),
                in -> in[0].pad(new int[] {2, 1, 3, 2}, PadMode.REPLICATE).square()));
        l.add(OpSpec.of("repeat", g -> List.of(sample("new leading dim", randn(g, 2, 3))), in -> in[0].repeat(2, 1, 3).square()));
        l.add(OpSpec.of("flip", g -> List.of(sample("dims 0 and -1", randn(g, 2, 3, 4))), in -> in[0].flip(0, -1).square()));
        l.add(OpSpec.of("flipTransposed", g -> List.of(sample("transposed input", randn(g, 4, 3))), in -> in[0].t().flip(1).square()));
        l.add(OpSpec.of("tril", g -> List.of(sample("batched, k=1", randn(g, 2, 4, 4))), in -> in[0].tril(1).square()));
        l.add(OpSpec.of("triu", g -> List.of(sample("transposed, k=-1", randn(g, 5, 3))), in -> in[0].t().triu(-1).square()));
        return l;
    }
}
