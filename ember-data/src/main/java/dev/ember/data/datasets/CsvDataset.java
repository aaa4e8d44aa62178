package dev.ember.data.datasets;

import dev.ember.data.Dataset;
import dev.ember.data.IterableDataset;
import dev.ember.data.Sample;
import dev.ember.tensor.DType;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Tensor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeSet;

/**
 * Tabular data from a CSV file: every column but the target is a numeric feature; example {@code i} is
 * row {@code i} as {@code x} = FLOAT32 {@code [features]} and {@code y} = the class (INT64) or the value
 * (FLOAT32). {@link #load} reads the whole file into memory; {@link #stream} reads it lazily, row by row,
 * for files larger than memory. Fields may be quoted ({@code "a,b"}, {@code ""} for a quote).
 *
 * <pre>{@code
 * CsvDataset iris = CsvDataset.load(Path.of("iris.csv"), CsvFormat.labelColumn("species"));
 * iris.classes();   // [setosa, versicolor, virginica]
 * }</pre>
 */
public final class CsvDataset implements Dataset<Sample> {
    private final Path file;
    private final List<String> featureNames;
    private final List<String> classes;
    private final float[] features;
    private final double[] targets;
    private final int width;
    private final boolean regression;

    private CsvDataset(Path file, List<String> featureNames, List<String> classes, float[] features, double[] targets, boolean regression) {
        this.file = file;
        this.featureNames = featureNames;
        this.classes = classes;
        this.features = features;
        this.targets = targets;
        this.width = featureNames.size();
        this.regression = regression;
    }

    /** Reads the whole file. */
    public static CsvDataset load(Path file, CsvFormat format) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Columns cols = Columns.read(r, file, format);
            List<String[]> rows = new ArrayList<>();
            for (String line; (line = r.readLine()) != null; ) {
                cols.lineNo++;
                if (line.isBlank()) continue;
                rows.add(cols.split(line));
            }
            List<String> classes = format.classes();
            Map<String, Integer> index = null;
            if (!format.regression() && classes == null && !allIntegers(rows, cols.label)) {
                TreeSet<String> distinct = new TreeSet<>();
                for (String[] row : rows) distinct.add(row[cols.label].trim());
                classes = List.copyOf(distinct);
            }
            if (classes != null) {
                index = new HashMap<>();
                for (int k = 0; k < classes.size(); k++) index.put(classes.get(k), k);
            }
            float[] x = new float[rows.size() * cols.features.length];
            double[] y = new double[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                y[i] = cols.target(rows.get(i), index, i);
                cols.features(rows.get(i), x, i * cols.features.length, i);
            }
            return new CsvDataset(file, cols.featureNames(), classes, x, y, format.regression());
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Reads the file lazily, one row at a time, each epoch from the start. For classification the labels
     * must be integers or {@link CsvFormat#classes} must be given (the classes of a stream cannot be
     * collected in advance).
     */
    public static IterableDataset<Sample> stream(Path file, CsvFormat format) {
        return new IterableDataset<>() {
            @Override
            public Iterator<Sample> iterator(Generator rng) {
                return new RowIterator(file, format);
            }
        };
    }

    private static boolean allIntegers(List<String[]> rows, int col) {
        for (String[] row : rows) {
            String s = row[col].trim();
            if (s.isEmpty()) return false;
            for (int k = 0; k < s.length(); k++) if (!Character.isDigit(s.charAt(k))) return false;
        }
        return true;
    }

    /** The feature column names (or "column k" without a header). */
    public List<String> featureNames() {
        return featureNames;
    }

    /** Class names (label order) when the labels were names or given; null for integer labels or regression. */
    public List<String> classes() {
        return classes;
    }

    /** Number of features per row. */
    public int featureCount() {
        return width;
    }

    @Override
    public int size() {
        return targets.length;
    }

    @Override
    public Sample get(int index, Generator rng) {
        Dataset.checkIndex(index, targets.length, "CsvDataset " + file);
        float[] row = new float[width];
        System.arraycopy(features, index * width, row, 0, width);
        Tensor x = Tensor.wrap(row, width);
        return regression ? new Sample(x, Tensor.scalar(targets[index], DType.FLOAT32)) : Sample.of(x, (long) targets[index]);
    }

    /** Header handling and field conversion shared by the in-memory and streaming readers. */
    static final class Columns {
        final Path file;
        final CsvFormat format;
        final String[] names;
        final int label;
        final int[] features;
        int lineNo;
        int firstDataLine;

        private Columns(Path file, CsvFormat format, String[] names, int label, int lineNo) {
            this.file = file;
            this.format = format;
            this.names = names;
            this.label = label;
            this.lineNo = lineNo;
            this.firstDataLine = lineNo + 1;
            this.features = new int[names.length - 1];
            for (int c = 0, k = 0; c < names.length; c++) if (c != label) features[k++] = c;
        }

        /** Reads the header (or peeks the first row's width) and resolves the label column. */
        static Columns read(BufferedReader r, Path file, CsvFormat format) throws IOException {
            r.mark(1 << 20);
            String first = r.readLine();
            if (first == null) throw new UncheckedIOException(file + ": empty CSV file", new IOException("empty"));
            String[] cells = splitLine(first, format.delimiter(), file, 1);
            String[] names = new String[cells.length];
            for (int c = 0; c < cells.length; c++) names[c] = format.header() ? cells[c].trim() : "column " + c;
            if (!format.header()) r.reset();
            if (names.length < 2) throw bad(file, 1, "needs at least one feature and one target column, found " + names.length + " column(s)");
            int label = names.length - 1;
            String lc = format.labelColumn();
            if (lc != null) {
                label = -1;
                for (int c = 0; c < names.length; c++) if (names[c].equals(lc)) label = c;
                if (label < 0) {
                    try {
                        label = Integer.parseInt(lc);
                    } catch (NumberFormatException e) {
                        throw bad(file, 1, "no column named '" + lc + "' (columns: " + String.join(", ", names) + ")");
                    }
                    if (label < 0 || label >= names.length) throw bad(file, 1, "label column index " + lc + " out of range 0.." + (names.length - 1));
                }
            }
            return new Columns(file, format, names, label, format.header() ? 1 : 0);
        }

        List<String> featureNames() {
            List<String> out = new ArrayList<>();
            for (int c : features) out.add(names[c]);
            return List.copyOf(out);
        }

        String[] split(String line) {
            String[] cells = splitLine(line, format.delimiter(), file, lineNo);
            if (cells.length != names.length) throw bad(file, lineNo, cells.length + " fields, expected " + names.length);
            return cells;
        }

        void features(String[] row, float[] out, int at, int rowIndex) {
            for (int k = 0; k < features.length; k++) {
                String s = row[features[k]].trim();
                try {
                    out[at + k] = Float.parseFloat(s);
                } catch (NumberFormatException e) {
                    throw bad(file, firstDataLine + rowIndex, "column '" + names[features[k]] + "' holds '" + s + "', not a number");
                }
            }
        }

        double target(String[] row, Map<String, Integer> classIndex, int rowIndex) {
            String s = row[label].trim();
            if (classIndex != null) {
                Integer k = classIndex.get(s);
                if (k == null) throw bad(file, firstDataLine + rowIndex, "label '" + s + "' is not one of the classes " + classIndex.keySet());
                return k;
            }
            try {
                return format.regression() ? Double.parseDouble(s) : Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw bad(file, firstDataLine + rowIndex, "target column '" + names[label] + "' holds '" + s + "', not "
                        + (format.regression() ? "a number" : "an integer class (give CsvFormat.withClasses for named classes)"));
            }
        }
    }

    static String[] splitLine(String line, char delim, Path file, int lineNo) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == delim) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        if (quoted) throw bad(file, lineNo, "unterminated quoted field");
        out.add(cur.toString());
        return out.toArray(String[]::new);
    }

    static UncheckedIOException bad(Path file, int line, String problem) {
        return new UncheckedIOException(file + ":" + line + ": " + problem, new IOException(problem));
    }

    /** Lazy row reader for {@link #stream}. */
    private static final class RowIterator implements Iterator<Sample> {
        private final BufferedReader reader;
        private final Columns cols;
        private final Map<String, Integer> classIndex;
        private String[] next;
        private boolean finished;

        RowIterator(Path file, CsvFormat format) {
            try {
                reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                cols = Columns.read(reader, file, format);
            } catch (IOException e) {
                throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
            }
            if (format.classes() != null) {
                classIndex = new HashMap<>();
                for (int k = 0; k < format.classes().size(); k++) classIndex.put(format.classes().get(k), k);
            } else {
                classIndex = null;
            }
        }

        @Override
        public boolean hasNext() {
            if (next != null) return true;
            if (finished) return false;
            try {
                for (String line; (line = reader.readLine()) != null; ) {
                    cols.lineNo++;
                    if (line.isBlank()) continue;
                    next = cols.split(line);
                    return true;
                }
                finished = true;
                reader.close();
                return false;
            } catch (IOException e) {
                throw new UncheckedIOException(cols.file + ": cannot read: " + e.getMessage(), e);
            }
        }

        @Override
        public Sample next() {
            if (!hasNext()) throw new NoSuchElementException();
            String[] row = next;
            next = null;
            cols.firstDataLine = cols.lineNo;   // error messages name the current line
            float[] x = new float[cols.features.length];
            cols.features(row, x, 0, 0);
            double y = cols.target(row, classIndex, 0);
            Tensor xt = Tensor.wrap(x, x.length);
            return cols.format.regression() ? new Sample(xt, Tensor.scalar(y, DType.FLOAT32)) : Sample.of(xt, (long) y);
        }
    }
}
