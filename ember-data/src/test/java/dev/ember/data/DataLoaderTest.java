package dev.ember.data;

import dev.ember.tensor.DType;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataLoaderTest {
    /** Example i: x = [i, r] where r is a random draw (as an augmentation would make), y = i. */
    static final Dataset<Sample> NUMBERS = new Dataset<>() {
        @Override
        public int size() {
            return 103;
        }

        @Override
        public Sample get(int index, Generator rng) {
            return Sample.of(Tensor.of(new float[] {index, rng.nextFloat()}), index);
        }
    };

    private static List<float[]> collect(DataLoader<Batch> loader) {
        List<float[]> out = new ArrayList<>();
        for (Batch b : loader) out.add(b.x().toFloatArray());
        return out;
    }

    @Test
    void batchesCoverTheDatasetInOrderWithoutShuffle() {
        DataLoader<Batch> loader = DataLoader.builder(NUMBERS).batchSize(10).build();
        assertEquals(11, loader.size());
        int seen = 0;
        for (Batch b : loader) {
            assertEquals(DType.FLOAT32, b.x().dtype());
            assertEquals(DType.INT64, b.y().dtype());
            assertEquals(b.size(), b.y().size(0));
            long[] y = b.y().toLongArray();
            for (long v : y) assertEquals(seen++, v);
        }
        assertEquals(103, seen);
        assertEquals(10, DataLoader.builder(NUMBERS).batchSize(10).dropLast(true).build().size());
    }

    @Test
    void dropLastDropsThePartialBatch() {
        DataLoader<Batch> loader = DataLoader.builder(NUMBERS).batchSize(10).dropLast(true).shuffle(true).seed(3).build();
        int batches = 0;
        for (Batch b : loader) {
            assertEquals(10, b.size());
            batches++;
        }
        assertEquals(10, batches);
        assertEquals(100, loader.examples());
    }

    @Test
    void shuffleIsAPermutationAndDependsOnSeedAndEpoch() {
        DataLoader<Batch> loader = DataLoader.builder(NUMBERS).batchSize(7).shuffle(true).seed(11).build();
        long[] epoch0 = labels(loader);
        long[] epoch1 = labels(loader);
        Set<Long> distinct = new HashSet<>();
        for (long v : epoch0) distinct.add(v);
        assertEquals(103, distinct.size());
        assertFalse(Arrays.equals(epoch0, epoch1), "each epoch reshuffles");
        long[] again = labels(DataLoader.builder(NUMBERS).batchSize(7).shuffle(true).seed(11).build());
        assertArrayEquals(epoch0, again, "the same seed gives the same order");
        long[] otherSeed = labels(DataLoader.builder(NUMBERS).batchSize(7).shuffle(true).seed(12).build());
        assertFalse(Arrays.equals(epoch0, otherSeed));
        loader.epoch(1);
        assertArrayEquals(epoch1, labels(loader), "epoch(n) replays epoch n");
    }

    private static long[] labels(DataLoader<Batch> loader) {
        List<Long> out = new ArrayList<>();
        for (Batch b : loader) for (long v : b.y().toLongArray()) out.add(v);
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    @Test
    void batchesAreIdenticalForAnyWorkerCount() {
        List<float[]> reference = null;
        for (int workers : new int[] {0, 1, 2, 3, 5}) {
            for (int prefetch : new int[] {1, 3}) {
                DataLoader<Batch> loader = DataLoader.builder(NUMBERS).batchSize(8).shuffle(true).seed(99)
                        .workers(workers).prefetch(prefetch).build();
                loader.epoch(2);
                List<float[]> got = collect(loader);
                if (reference == null) reference = got;
                assertEquals(reference.size(), got.size());
                for (int k = 0; k < got.size(); k++) {
                    assertArrayEquals(reference.get(k), got.get(k), "batch " + k + " with " + workers + " workers");
                }
            }
        }
    }

    @Test
    void workerFailureSurfacesOnTheConsumerWithTheSampleIndex() {
        Dataset<Sample> failing = new Dataset<>() {
            @Override
            public int size() {
                return 50;
            }

            @Override
            public Sample get(int index, Generator rng) {
                if (index == 37) throw new IllegalArgumentException("bad pixel");
                return Sample.of(Tensor.of(new float[] {index}), index);
            }
        };
        for (int workers : new int[] {0, 2}) {
            DataLoader<Batch> loader = DataLoader.builder(failing).batchSize(4).workers(workers).build();
            Iterator<Batch> it = loader.iterator();
            RuntimeException e = assertThrows(RuntimeException.class, () -> {
                while (it.hasNext()) it.next();
            });
            assertTrue(e.getMessage().contains("sample index 37"), e.getMessage());
            assertTrue(e.getMessage().contains("bad pixel"), e.getMessage());
            assertFalse(it.hasNext(), "a failed iteration ends");
        }
    }

    @Test
    void abandonedAndClosedIterationsLeaveNoWorkerThreads() throws Exception {
        DataLoader<Batch> loader = DataLoader.builder(NUMBERS).batchSize(2).workers(3).workerKeepAliveMillis(50).build();
        for (Batch b : loader) {
            if (b.y().toLongArray()[0] >= 4) break;    // abandon early: workers are still prefetching
        }
        try (LoaderIterator<Batch> it = loader.iterator()) {
            it.next();
        }
        LoaderIterator<Batch> exhausted = loader.iterator();
        while (exhausted.hasNext()) exhausted.next();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (liveWorkers() > 0 && System.nanoTime() < deadline) Thread.sleep(20);
        assertEquals(0, liveWorkers(), "worker threads left: " + workerNames());
    }

    private static long liveWorkers() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("ember-data-") && t.isAlive()).count();
    }

    private static List<String> workerNames() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).filter(n -> n.startsWith("ember-data-")).toList();
    }

    @Test
    void workerThreadsAreDaemons() {
        DataLoader<Batch> loader = DataLoader.builder(NUMBERS).batchSize(2).workers(2).build();
        try (LoaderIterator<Batch> it = loader.iterator()) {
            it.next();
            List<Thread> workers = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("ember-data-")).toList();
            assertFalse(workers.isEmpty());
            for (Thread t : workers) assertTrue(t.isDaemon(), t.getName());
        }
    }

    @Test
    void customCollateBuildsAnyBatchType() {
        Collate<Sample, String> describe = samples -> samples.size() + ":" + samples.getFirst().label();
        DataLoader<String> loader = DataLoader.builder(NUMBERS, describe).batchSize(50).workers(2).build();
        List<String> out = new ArrayList<>();
        for (String s : loader) out.add(s);
        assertEquals(List.of("50:0", "50:50", "3:100"), out);
    }

    @Test
    void streamsBatchInOrderAndAugmentIdenticallyForAnyWorkerCount() {
        IterableDataset<Integer> ints = IterableDataset.of(() -> java.util.stream.IntStream.range(0, 41).boxed().iterator(), 41);
        IterableDataset<Sample> samples = ints.map((i, rng) -> Sample.of(Tensor.of(new float[] {i, rng.nextFloat()}), i));
        List<float[]> reference = null;
        for (int workers : new int[] {0, 1, 3}) {
            DataLoader<Batch> loader = DataLoader.builder(samples).batchSize(5).seed(4).workers(workers).build();
            assertEquals(9, loader.size());
            List<float[]> got = collect(loader);
            assertEquals(9, got.size());
            assertEquals(0f, got.get(0)[0]);
            assertEquals(40f, got.get(8)[0]);
            if (reference == null) reference = got;
            for (int k = 0; k < got.size(); k++) assertArrayEquals(reference.get(k), got.get(k));
        }
        DataLoader<Batch> dropping = DataLoader.builder(samples).batchSize(5).dropLast(true).workers(2).build();
        assertEquals(8, collect(dropping).size());
    }

    @Test
    void shuffleBufferPermutesAStreamReproducibly() {
        IterableDataset<Sample> s = IterableDataset.of(NUMBERS).shuffled(20);
        long[] a = labels(DataLoader.builder(s).batchSize(10).seed(5).build());
        long[] b = labels(DataLoader.builder(s).batchSize(10).seed(5).workers(2).build());
        assertArrayEquals(a, b);
        long[] sorted = a.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) assertEquals(i, sorted[i]);
        assertFalse(Arrays.equals(a, sorted), "the buffer shuffles");
    }

    @Test
    void invalidOptionsAreRefusedWithClearMessages() {
        var e = assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(NUMBERS).batchSize(0));
        assertTrue(e.getMessage().contains("batchSize"));
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(NUMBERS).workers(-1));
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(IterableDataset.of(NUMBERS)).shuffle(true));
    }

    @Test
    void collateRefusesMismatchedShapesNamingTheSample() {
        Dataset<Sample> ragged = new Dataset<>() {
            @Override
            public int size() {
                return 3;
            }

            @Override
            public Sample get(int index, Generator rng) {
                return Sample.of(Tensor.zeros(index == 2 ? 3 : 2), index);
            }
        };
        var e = assertThrows(RuntimeException.class, () -> collect(DataLoader.builder(ragged).batchSize(3).build()));
        assertTrue(e.getMessage().contains("sample 2"), e.getMessage());
    }
}
