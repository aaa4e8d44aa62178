package dev.ember.kernels.cpu;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link Parallel#forRange} runs every index exactly once whichever thread claims a chunk (the caller
 * runs chunks no worker has started), propagates a failure from any chunk, and keeps nested loops serial.
 */
class ParallelTest {
    @Test
    void everyIndexRunsExactlyOnce() {
        int saved = Parallel.threads();
        try {
            for (int threads : new int[] {1, 2, 3, 4}) {
                Parallel.setThreads(threads);
                for (int round = 0; round < 300; round++) {
                    int n = 1 + (round * 37) % 1000, grain = 1 + round % 50;
                    AtomicIntegerArray hits = new AtomicIntegerArray(n);
                    Parallel.forRange(n, grain, (s, e) -> {
                        for (int i = s; i < e; i++) hits.incrementAndGet(i);
                    });
                    for (int i = 0; i < n; i++) assertEquals(1, hits.get(i), "threads " + threads + ", n " + n + ", index " + i);
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void failuresInAnyChunkReachTheCaller() {
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(2);
            for (int bad : new int[] {0, 999}) {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.forRange(1000, 10, (s, en) -> {
                    if (s <= bad && bad < en) throw new IllegalStateException("chunk with " + bad);
                }));
                assertEquals("chunk with " + bad, e.getMessage());
            }
            AtomicIntegerArray hits = new AtomicIntegerArray(100);
            Parallel.forRange(10, 1, (s, e) -> Parallel.forRange(10, 1, (s2, e2) -> {
                for (int i = s; i < e; i++) for (int j = s2; j < e2; j++) hits.incrementAndGet(i * 10 + j);
            }));
            for (int i = 0; i < 100; i++) assertEquals(1, hits.get(i), "nested index " + i);
        } finally {
            Parallel.setThreads(saved);
        }
    }
}
