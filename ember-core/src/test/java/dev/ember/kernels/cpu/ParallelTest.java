package dev.ember.kernels.cpu;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /**
     * Workers park after spinning idle; chunks offered to a parked worker still run exactly once, and a
     * failure (an Error too) reaches the caller as the very object the chunk threw, whichever thread ran it.
     */
    @Test
    void parkedWorkersWakeAndFailuresKeepTheirIdentity() throws InterruptedException {
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(2);
            for (int round = 0; round < 20; round++) {
                if (round % 4 == 0) Thread.sleep(1 + Parallel.SPIN_NANOS / 1_000_000); // let the worker park
                AtomicIntegerArray hits = new AtomicIntegerArray(64);
                Parallel.forRange(64, 1, (s, e) -> {
                    for (int i = s; i < e; i++) hits.incrementAndGet(i);
                });
                for (int i = 0; i < 64; i++) assertEquals(1, hits.get(i), "round " + round + ", index " + i);
            }
            AssertionError thrown = new AssertionError("from the second chunk");
            AssertionError caught = assertThrows(AssertionError.class, () -> Parallel.forRange(2, 1, (s, e) -> {
                if (s == 1) throw thrown;
            }));
            assertSame(thrown, caught);
        } finally {
            Parallel.setThreads(saved);
        }
    }

    /** EMBER_SPIN_MICROS / ember.spinMicros: a number of microseconds >= 0; anything else keeps the default, with a warning naming it. */
    @Test
    void spinSettingIsParsedAndABadOneIsNamed() {
        assertEquals(200, Parallel.spinMicros(null));
        assertEquals(0, Parallel.spinMicros("0"));
        assertEquals(150, Parallel.spinMicros(" 150 "));
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(err, true));
        try {
            assertEquals(200, Parallel.spinMicros("fast"));
            assertEquals(200, Parallel.spinMicros("-5"));
        } finally {
            System.setErr(saved);
        }
        String said = err.toString();
        assertTrue(said.contains("EMBER_SPIN_MICROS") && said.contains("'fast'") && said.contains("'-5'"), said);
    }
}
