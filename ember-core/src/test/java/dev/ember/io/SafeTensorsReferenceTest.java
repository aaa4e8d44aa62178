package dev.ember.io;

import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Interop with the reference implementation: golden/safetensors_reference.safetensors was written by
 * Hugging Face's safetensors 0.8.0 ({@code save_file}, Rust core) from PyTorch tensors, and
 * golden/safetensors_reference.json holds the values it was given (tools/golden/gen_safetensors.py).
 */
class SafeTensorsReferenceTest {
    private static final Map<String, DType> EMBER_DTYPES = Map.of("float32", DType.FLOAT32, "float64", DType.FLOAT64,
            "int64", DType.INT64, "int32", DType.INT32, "bool", DType.BOOL);

    @TempDir
    Path dir;

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = SafeTensorsReferenceTest.class.getResourceAsStream("/golden/" + name)) {
            assertNotNull(in, "missing golden/" + name + " (run tools/golden/gen_safetensors.py)");
            return in.readAllBytes();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> expected() throws IOException {
        return Json.parseObject(new String(resource("safetensors_reference.json"), StandardCharsets.UTF_8));
    }

    /** The expected tensor described by a golden.tensor() entry (integers kept exact). */
    @SuppressWarnings("unchecked")
    private static void assertMatches(String name, Map<String, Object> spec, Tensor actual) {
        List<Object> shape = (List<Object>) spec.get("shape");
        int[] dims = shape.stream().mapToInt(o -> ((Number) o).intValue()).toArray();
        assertArrayEquals(dims, actual.shape().toArray(), name + " shape");
        DType dtype = EMBER_DTYPES.get((String) spec.get("dtype"));
        assertEquals(dtype, actual.dtype(), name + " dtype");
        List<Object> data = (List<Object>) spec.get("data");
        if (dtype == DType.BOOL) {
            long[] want = data.stream().mapToLong(o -> (Boolean) o ? 1 : 0).toArray();
            assertArrayEquals(want, actual.toLongArray(), name);
        } else if (dtype.isFloating()) {
            assertArrayEquals(data.stream().mapToDouble(o -> ((Number) o).doubleValue()).toArray(),
                    actual.toDoubleArray(), 0.0, name);
        } else {
            assertArrayEquals(data.stream().mapToLong(o -> ((Number) o).longValue()).toArray(), actual.toLongArray(), name);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void readsEveryTensorAndTheMetadataTheReferenceWriterWrote() throws IOException {
        Map<String, Object> expected = expected();
        SafeTensors st = SafeTensors.fromBytes(resource("safetensors_reference.safetensors"));
        Map<String, Object> tensors = (Map<String, Object>) expected.get("tensors");
        assertEquals(tensors.keySet(), st.tensors().keySet());
        for (var e : tensors.entrySet()) assertMatches(e.getKey(), (Map<String, Object>) e.getValue(), st.get(e.getKey()));
        assertEquals(expected.get("metadata"), st.metadata());
    }

    @Test
    @SuppressWarnings("unchecked")
    void rewritingTheReferenceFileKeepsEveryValue() throws IOException {
        SafeTensors st = SafeTensors.fromBytes(resource("safetensors_reference.safetensors"));
        Path file = dir.resolve("rewritten.safetensors");
        SafeTensors.write(file, st.tensors(), st.metadata());
        SafeTensors back = SafeTensors.read(file);
        Map<String, Object> tensors = (Map<String, Object>) expected().get("tensors");
        for (var e : tensors.entrySet()) assertMatches(e.getKey(), (Map<String, Object>) e.getValue(), back.get(e.getKey()));
        assertEquals(st.metadata(), back.metadata());
        long headerLength = java.nio.ByteBuffer.wrap(Files.readAllBytes(file), 0, 8)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8, "header padded like the reference writer pads it");
    }
}
