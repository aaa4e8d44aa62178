package dev.ember.data;

import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetsTest {
    private static final TensorDataset TEN = new TensorDataset(Tensor.arange(0, 20, 1).reshape(10, 2).to(dev.ember.tensor.DType.FLOAT32),
            Tensor.arange(10));

    @Test
    void tensorDatasetYieldsRows() {
        Sample s = TEN.get(3);
        assertArrayEquals(new float[] {6, 7}, s.x().toFloatArray());
        assertEquals(3, s.label());
        assertThrows(IndexOutOfBoundsException.class, () -> TEN.get(10));
        assertThrows(IllegalArgumentException.class, () -> new TensorDataset(Tensor.zeros(3, 2), Tensor.zeros(4)));
    }

    @Test
    void subsetAndRandomSplit() {
        Subset<Sample> sub = TEN.subset(9, 0, 5);
        assertEquals(3, sub.size());
        assertEquals(5, sub.get(2).label());
        List<Subset<Sample>> parts = TEN.randomSplit(7, 0.7, 0.3);
        assertEquals(7, parts.get(0).size());
        assertEquals(3, parts.get(1).size());
        Set<Integer> all = new HashSet<>();
        for (Subset<Sample> p : parts) for (int i : p.indices()) all.add(i);
        assertEquals(10, all.size(), "the parts are disjoint and cover everything");
        assertArrayEquals(parts.get(0).indices(), TEN.randomSplit(7, 0.7, 0.3).get(0).indices(), "same seed, same split");
        assertThrows(IllegalArgumentException.class, () -> TEN.randomSplit(1, 0.5, 0.6));
    }

    @Test
    void concatIndexesAcrossParts() {
        ConcatDataset<Sample> c = Dataset.concat(TEN.subset(1, 2), TEN.subset(), TEN.subset(7));
        assertEquals(3, c.size());
        assertEquals(1, c.get(0).label());
        assertEquals(2, c.get(1).label());
        assertEquals(7, c.get(2).label());
        assertThrows(IndexOutOfBoundsException.class, () -> c.get(3));
    }

    @Test
    void mapAppliesATransformToEachExample() {
        Dataset<Sample> doubled = TEN.map(Transform.onX((x, rng) -> x.mul(2)));
        assertArrayEquals(new float[] {12, 14}, doubled.get(3).x().toFloatArray());
        assertEquals(3, doubled.get(3).label());
    }

    @Test
    void loaderStacksTensorDatasetRows() {
        DataLoader<Batch> loader = DataLoader.builder(TEN).batchSize(4).build();
        Batch first = loader.iterator().next();
        assertEquals(List.of(4, 2), List.of(first.x().size(0), first.x().size(1)));
        assertArrayEquals(new long[] {0, 1, 2, 3}, first.y().toLongArray());
        assertTrue(first.toString().contains("Batch"));
    }
}
