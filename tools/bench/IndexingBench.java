import dev.ember.autograd.Dispatch;
import dev.ember.ops.ShapeOps;
import dev.ember.tensor.DType;
import dev.ember.tensor.Generator;
import dev.ember.tensor.PadMode;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Times Ember's indexing, joining and shape ops on large float32 tensors; indexing_bench.py times the
 * same workloads in PyTorch. Run both through indexing_bench.sh, which alternates them. Prints one
 * line per workload: {@code name min_ms median_ms} (thread CPU time with one thread, else wall time).
 */
public class IndexingBench {
    static Tensor rand(long seed, int... shape) {
        return Tensor.rand(new Generator(seed), Shape.of(shape), DType.FLOAT32);
    }

    static Tensor index(long seed, int bound, int... shape) {
        return Tensor.randint(new Generator(seed), 0, bound, Shape.of(shape));
    }

    public static void main(String[] args) {
        Map<String, Supplier<Tensor>> w = new LinkedHashMap<>();
        Tensor x = rand(1, 4096, 1024);
        Tensor idx1 = index(2, 1024, 4096, 256), idx0 = index(3, 4096, 4096, 1024);
        w.put("gather_dim1", () -> x.gather(1, idx1));
        w.put("gather_dim0", () -> x.gather(0, idx0));
        Tensor self0 = Tensor.zeros(4096, 512), src0 = rand(4, 16384, 512), sidx0 = index(5, 4096, 16384, 512);
        w.put("scatter_add_dim0", () -> self0.scatterAdd(0, sidx0, src0));
        Tensor src1 = rand(6, 4096, 1024), sidx1 = index(7, 1024, 4096, 1024);
        w.put("scatter_add_dim1", () -> x.scatterAdd(1, sidx1, src1));
        Tensor weight = rand(8, 50000, 256), tokens = index(9, 50000, 32768);
        w.put("index_select_rows", () -> weight.indexSelect(0, tokens));
        Tensor zerosW = Tensor.zeros(50000, 256), rows = rand(10, 32768, 256);
        w.put("index_add_rows", () -> zerosW.indexAdd(0, tokens, rows));
        List<Tensor> parts = new ArrayList<>();
        for (int i = 0; i < 4; i++) parts.add(rand(11 + i, 2048, 512));
        w.put("cat_dim0", () -> Tensor.cat(parts, 0));
        w.put("cat_dim1", () -> Tensor.cat(parts, 1));
        Tensor img = rand(20, 32, 64, 56, 56);
        w.put("pad_constant", () -> img.pad(1, 1, 1, 1));
        w.put("pad_reflect", () -> img.pad(new int[] {1, 1, 1, 1}, PadMode.REFLECT));
        w.put("pad_replicate", () -> img.pad(new int[] {1, 1, 1, 1}, PadMode.REPLICATE));
        Tensor gPad = rand(21, 32, 64, 58, 58);
        int[] before = {0, 0, 1, 1}, after = {0, 0, 1, 1};
        w.put("pad_reflect_backward", () -> Dispatch.apply(new ShapeOps.PadBackward(before, after, PadMode.REFLECT, img.shape()), gPad));
        w.put("flip_last", () -> x.flip(1));
        w.put("flip_first", () -> x.flip(0));
        Tensor mats = rand(22, 64, 512, 512);
        w.put("tril", () -> mats.tril());
        Tensor sq = rand(23, 1024, 1024);
        w.put("repeat_2x2", () -> sq.repeat(2, 2));
        Tensor mask = rand(24, 1024).gt(0.5);
        w.put("masked_fill", () -> x.maskedFill(mask, -1));

        String only = args.length > 0 ? args[0] : null;
        // With one thread the calling thread does all the work, so its CPU time is a measure that other
        // load on a shared machine barely disturbs; with more threads only wall time is meaningful.
        boolean cpuTime = dev.ember.kernels.cpu.Parallel.threads() == 1;
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        for (var e : w.entrySet()) {
            if (only != null && !e.getKey().matches(only)) continue;
            Supplier<Tensor> f = e.getValue();
            for (int i = 0; i < 5; i++) f.get();
            double[] t = new double[15];
            for (int i = 0; i < t.length; i++) {
                long s = cpuTime ? mx.getCurrentThreadCpuTime() : System.nanoTime();
                f.get();
                t[i] = ((cpuTime ? mx.getCurrentThreadCpuTime() : System.nanoTime()) - s) / 1e6;
            }
            Arrays.sort(t);
            System.out.printf(java.util.Locale.ROOT, "%s %.3f %.3f%n", e.getKey(), t[0], t[t.length / 2]);
        }
    }
}
