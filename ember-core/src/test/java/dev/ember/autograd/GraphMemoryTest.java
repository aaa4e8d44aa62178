package dev.ember.autograd;

import dev.ember.tensor.DType;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The graph and its saved tensors are released after each backward: long training shows no heap growth. */
class GraphMemoryTest {
    private static long usedHeapAfterGc() {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            best = Math.min(best, mem.getHeapMemoryUsage().getUsed());
        }
        return best;
    }

    @Test
    void tenThousandMlpStepsDoNotGrowTheHeap() {
        Generator g = new Generator(7);
        Tensor w1 = Tensor.randn(g, Shape.of(64, 32), DType.FLOAT32).mul(0.1).detach().requiresGrad(true);
        Tensor b1 = Tensor.zeros(32).requiresGrad(true);
        Tensor w2 = Tensor.randn(g, Shape.of(32, 10), DType.FLOAT32).mul(0.1).detach().requiresGrad(true);
        Tensor b2 = Tensor.zeros(10).requiresGrad(true);
        Tensor x = Tensor.randn(g, Shape.of(16, 64), DType.FLOAT32);
        Tensor[] params = {w1, b1, w2, b2};
        long afterWarmup = 0;
        double firstLoss = 0, lastLoss = 0;
        for (int step = 1; step <= 10_000; step++) {
            Tensor h = x.matmul(w1).add(b1).relu();
            Tensor out = h.matmul(w2).add(b2);
            Tensor loss = out.logSoftmax(1).select(1, 3).mean().neg();
            for (Tensor p : params) p.zeroGrad();
            loss.backward();
            try (var off = Grad.off()) {
                for (Tensor p : params) p.subInPlace(p.grad().mul(0.01));
            }
            if (step == 1) firstLoss = loss.item();
            if (step == 1_000) afterWarmup = usedHeapAfterGc();
            lastLoss = loss.item();
        }
        long atEnd = usedHeapAfterGc();
        assertTrue(lastLoss < firstLoss, "training should make progress: " + firstLoss + " -> " + lastLoss);
        long growth = atEnd - afterWarmup;
        assertTrue(growth < 4L << 20, "heap grew by " + growth + " bytes between step 1,000 and 10,000");
    }
}
