package dev.ember.testing;

import dev.ember.io.Json;
import dev.ember.tensor.DType;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Loads PyTorch golden fixtures (written by tools/golden/*.py into src/test/resources/golden) and
 * compares tensors with tolerances.
 */
public final class Golden {
    private Golden() {
    }

    /** One fixture case. */
    public record Case(String name, String op, Map<String, Object> attrs, List<Tensor> inputs, Tensor output,
                       Tensor gradOutput, List<Tensor> grads) {
        public Tensor input(int i) {
            return inputs.get(i);
        }

        public double attr(String key) {
            Object v = attrs.get(key);
            if (v == null) throw new IllegalArgumentException(name + ": no attribute " + key);
            return ((Number) v).doubleValue();
        }

        public int[] intsAttr(String key) {
            @SuppressWarnings("unchecked") List<Object> l = (List<Object>) attrs.get(key);
            int[] r = new int[l.size()];
            for (int i = 0; i < r.length; i++) r[i] = ((Number) l.get(i)).intValue();
            return r;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** All cases of {@code golden/<file>}. */
    @SuppressWarnings("unchecked")
    public static List<Case> load(String file) {
        String text;
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + file)) {
            if (in == null) throw new IllegalStateException("missing fixture golden/" + file + " (run tools/golden/*.py)");
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, Object> doc = Json.parseObject(text);
        List<Case> out = new ArrayList<>();
        for (Object o : (List<Object>) doc.get("cases")) {
            Map<String, Object> c = (Map<String, Object>) o;
            List<Tensor> ins = new ArrayList<>();
            for (Object t : (List<Object>) c.get("inputs")) ins.add(tensor((Map<String, Object>) t));
            List<Tensor> grads = null;
            if (c.get("grads") != null) {
                grads = new ArrayList<>();
                for (Object g : (List<Object>) c.get("grads")) grads.add(g == null ? null : tensor((Map<String, Object>) g));
            }
            out.add(new Case((String) c.get("name"), (String) c.get("op"), (Map<String, Object>) c.get("attrs"), ins,
                    tensor((Map<String, Object>) c.get("output")),
                    c.get("grad_output") == null ? null : tensor((Map<String, Object>) c.get("grad_output")), grads));
        }
        return out;
    }

    /** Builds a tensor from a fixture entry {"shape", "dtype", "data"}. */
    @SuppressWarnings("unchecked")
    public static Tensor tensor(Map<String, Object> m) {
        List<Object> shapeL = (List<Object>) m.get("shape");
        int[] shape = new int[shapeL.size()];
        for (int i = 0; i < shape.length; i++) shape[i] = ((Number) shapeL.get(i)).intValue();
        List<Object> data = (List<Object>) m.get("data");
        DType dt = switch ((String) m.get("dtype")) {
            case "float32" -> DType.FLOAT32;
            case "float64" -> DType.FLOAT64;
            case "int64" -> DType.INT64;
            case "int32" -> DType.INT32;
            case "bool" -> DType.BOOL;
            default -> throw new IllegalArgumentException("fixture dtype " + m.get("dtype"));
        };
        double[] d = new double[data.size()];
        long[] l = new long[data.size()];
        for (int i = 0; i < d.length; i++) {
            Object v = data.get(i);
            if (v instanceof Boolean b) {
                d[i] = b ? 1 : 0;
                l[i] = b ? 1 : 0;
            } else if (v instanceof String s) {
                d[i] = switch (s) {
                    case "nan" -> Double.NaN;
                    case "inf" -> Double.POSITIVE_INFINITY;
                    case "-inf" -> Double.NEGATIVE_INFINITY;
                    default -> throw new IllegalArgumentException("fixture value " + s);
                };
            } else {
                d[i] = ((Number) v).doubleValue();
                l[i] = ((Number) v).longValue();
            }
        }
        Tensor t = dt.isFloating() ? Tensor.of(d, shape) : Tensor.of(l, shape);
        if (shape.length == 0) t = t.reshape(); // Tensor.of with no shape means 1-D
        return t.to(dt);
    }

    /** Asserts equal shape and |a - e| <= atol + rtol * |e| elementwise (NaN matches NaN). */
    public static void assertClose(Tensor expected, Tensor actual, double rtol, double atol, String what) {
        assertEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            if (Double.isNaN(e[i]) && Double.isNaN(a[i])) continue;
            if (e[i] == a[i]) continue; // also equal infinities
            double tol = atol + rtol * Math.abs(e[i]);
            if (!(Math.abs(a[i] - e[i]) <= tol)) {
                fail(String.format(Locale.ROOT, "%s: element %d of shape %s: expected %.9g, got %.9g (tol %.3g)", what, i,
                        expected.shape(), e[i], a[i], tol));
            }
        }
    }

    /** A convenience for shapes in tests. */
    public static Shape shape(int... d) {
        return Shape.of(d);
    }
}
