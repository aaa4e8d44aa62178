package dev.ember.data.datasets;

import dev.ember.data.Batch;
import dev.ember.data.DataLoader;
import dev.ember.data.IterableDataset;
import dev.ember.data.Sample;
import dev.ember.tensor.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvDatasetTest {
    @TempDir
    Path tmp;

    private Path write(String content) throws Exception {
        Path p = tmp.resolve("t.csv");
        Files.writeString(p, content);
        return p;
    }

    @Test
    void namedClassesAreSortedAndFeaturesParsed() throws Exception {
        Path p = write("a,species,b\n1.5,virginica,2\n\"3\",setosa,4\n5,versicolor,-6e-1\n");
        CsvDataset ds = CsvDataset.load(p, CsvFormat.labelColumn("species"));
        assertEquals(List.of("setosa", "versicolor", "virginica"), ds.classes());
        assertEquals(List.of("a", "b"), ds.featureNames());
        Sample s = ds.get(2);
        assertArrayEquals(new float[] {5, -0.6f}, s.x().toFloatArray());
        assertEquals(1, s.label());
        assertEquals(2, ds.get(0).label());
        Batch b = DataLoader.builder(ds).batchSize(3).build().iterator().next();
        assertEquals(DType.INT64, b.y().dtype());
        assertArrayEquals(new long[] {2, 0, 1}, b.y().toLongArray());
    }

    @Test
    void regressionTargetsAreFloats() throws Exception {
        Path p = write("x1;x2;y\n1;2;0.5\n3;4;1.5\n");
        CsvDataset ds = CsvDataset.load(p, CsvFormat.regressionColumn("y").withDelimiter(';'));
        Batch b = DataLoader.builder(ds).batchSize(2).build().iterator().next();
        assertEquals(DType.FLOAT32, b.y().dtype());
        assertArrayEquals(new float[] {0.5f, 1.5f}, b.y().toFloatArray());
    }

    @Test
    void badRowsNameTheLine() throws Exception {
        Path p = write("a,y\n1,0\nx,1\n");
        var e = assertThrows(UncheckedIOException.class, () -> CsvDataset.load(p, CsvFormat.labelColumn("y")));
        assertTrue(e.getMessage().contains("t.csv:3") && e.getMessage().contains("'x'"), e.getMessage());
        Path q = write("a,y\n1,0\n2\n");
        var e2 = assertThrows(UncheckedIOException.class, () -> CsvDataset.load(q, CsvFormat.labelColumn("y")));
        assertTrue(e2.getMessage().contains("t.csv:3") && e2.getMessage().contains("1 fields, expected 2"), e2.getMessage());
        var e3 = assertThrows(UncheckedIOException.class, () -> CsvDataset.load(q, CsvFormat.labelColumn("label")));
        assertTrue(e3.getMessage().contains("no column named 'label'"), e3.getMessage());
    }

    @Test
    void streamReadsRowsLazilyEachEpoch() throws Exception {
        StringBuilder sb = new StringBuilder("f,label\n");
        for (int i = 0; i < 25; i++) sb.append(i).append(',').append(i % 3).append('\n');
        Path p = write(sb.toString());
        IterableDataset<Sample> rows = CsvDataset.stream(p, CsvFormat.labelColumn("label"));
        DataLoader<Batch> loader = DataLoader.builder(rows.shuffled(8)).batchSize(10).seed(2).workers(2).build();
        for (int epoch = 0; epoch < 2; epoch++) {
            List<Float> seen = new ArrayList<>();
            for (Batch b : loader) for (float f : b.x().toFloatArray()) seen.add(f);
            assertEquals(25, seen.size());
            assertEquals(25, seen.stream().distinct().count());
        }
    }
}
