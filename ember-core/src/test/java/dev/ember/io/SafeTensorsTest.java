package dev.ember.io;

import dev.ember.tensor.DType;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Round trips, exact byte layout and unpadded headers; hostile files are in SafeTensorsHostileTest. */
class SafeTensorsTest {
    @TempDir
    Path dir;

    private static final List<int[]> SHAPES = List.of(new int[] {}, new int[] {0}, new int[] {3, 0, 2},
            new int[] {5}, new int[] {2, 3, 4}, new int[] {1, 1, 7});

    /** A tensor of the given dtype with varied values (negative, large, fractional where possible). */
    static Tensor sample(DType dtype, int[] shape, long seed) {
        Generator g = new Generator(seed);
        Tensor x = Tensor.randn(g, Shape.of(shape), DType.FLOAT64).mul(1000);
        return switch (dtype) {
            case BOOL -> x.gt(0);
            case INT64 -> x.mul(1e12).to(DType.INT64);
            default -> x.to(dtype);
        };
    }

    static void assertSameTensor(Tensor expected, Tensor actual, String what) {
        assertEquals(expected.dtype(), actual.dtype(), what + " dtype");
        assertEquals(expected.shape(), actual.shape(), what + " shape");
        if (expected.dtype() == DType.INT64) assertArrayEquals(expected.toLongArray(), actual.toLongArray(), what);
        else assertArrayEquals(expected.toDoubleArray(), actual.toDoubleArray(), 0.0, what); // bit-exact values
    }

    @Test
    void roundTripsEveryDtypeAndShapeThroughFilesBytesAndStreams() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        int seed = 0;
        for (DType dtype : DType.values()) {
            for (int[] shape : SHAPES) tensors.put(dtype.pyName() + "/" + Shape.of(shape), sample(dtype, shape, seed++));
        }
        Map<String, String> metadata = Map.of("epoch", "3", "note", "ünïcødé \"quoted\"\n");
        Path file = dir.resolve("all.safetensors");
        SafeTensors.write(file, tensors, metadata);
        byte[] bytes = SafeTensors.toBytes(tensors, metadata);
        assertArrayEquals(bytes, Files.readAllBytes(file), "file and byte writers agree");

        for (SafeTensors back : List.of(SafeTensors.read(file), SafeTensors.fromBytes(bytes),
                SafeTensors.read(new ByteArrayInputStream(bytes)))) {
            assertEquals(List.copyOf(tensors.keySet()), List.copyOf(back.tensors().keySet()), "order kept");
            for (var e : tensors.entrySet()) assertSameTensor(e.getValue(), back.get(e.getKey()), e.getKey());
            assertEquals(metadata, back.metadata());
        }
    }

    @Test
    void roundTripsLargeAndNonContiguousTensorsAcrossChunks() throws IOException {
        Generator g = new Generator(42);
        Tensor big = Tensor.randn(g, Shape.of(1537, 1031), DType.FLOAT32); // 6.3 MB: several 1 MiB chunks
        Tensor bigLong = Tensor.randint(g, -(1L << 50), 1L << 50, Shape.of(400_001));
        Tensor transposed = big.t();                       // strided view
        Tensor slice = big.narrow(0, 700, 3);               // contiguous view with an offset
        Tensor expanded = Tensor.of(new double[] {1, 2, 3}).expand(4, 3); // stride-0 view
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("big", big);
        tensors.put("big_long", bigLong);
        tensors.put("transposed", transposed);
        tensors.put("slice", slice);
        tensors.put("expanded", expanded);
        Path file = dir.resolve("big.safetensors");
        SafeTensors.write(file, tensors);

        SafeTensors back = SafeTensors.read(file);
        for (var e : tensors.entrySet()) assertSameTensor(e.getValue(), back.get(e.getKey()), e.getKey());
        assertEquals(Map.of(), back.metadata());
        assertEquals(true, back.get("transposed").isContiguous());
    }

    @Test
    void writesTheExactLayoutWithTheHeaderPaddedToEightBytes() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("w", Tensor.of(new float[] {1f, -2f}));
        tensors.put("b", Tensor.of(new boolean[] {true, false, true}));
        byte[] bytes = SafeTensors.toBytes(tensors, Map.of("k", "v"));

        String json = "{\"__metadata__\":{\"k\":\"v\"},\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"BOOL\",\"shape\":[3],\"data_offsets\":[8,11]}}";
        int padded = (json.length() + 7) / 8 * 8;
        ByteBuffer expected = ByteBuffer.allocate(8 + padded + 11).order(ByteOrder.LITTLE_ENDIAN);
        expected.putLong(padded).put((json + " ".repeat(padded - json.length())).getBytes(StandardCharsets.US_ASCII));
        expected.putFloat(1f).putFloat(-2f).put(new byte[] {1, 0, 1});
        assertArrayEquals(expected.array(), bytes);
        assertEquals(0, padded % 8);
    }

    @Test
    void readsHeadersWithoutPaddingInAnyKeyAndDataOrder() throws IOException {
        // 3 data bytes of "b" come first, then 8 bytes of "a": the data is not aligned and the header
        // (no padding, odd whitespace, keys in unusual order) lists "a" first.
        String json = "{ \"a\" : {\"data_offsets\":[3,11],\"shape\":[2],\"dtype\":\"F32\"},\n"
                + "\"b\":{\"shape\":[3],\"dtype\":\"U8\",\"data_offsets\":[0,3]}}";
        ByteBuffer data = ByteBuffer.allocate(11).order(ByteOrder.LITTLE_ENDIAN);
        data.put(new byte[] {7, (byte) 200, 0}).putFloat(0.5f).putFloat(-3f);
        byte[] file = SafeTensorsHostileTest.file(json, data.array());
        assertTrue(json.length() % 8 != 0, "this header is deliberately not padded");

        SafeTensors st = SafeTensors.fromBytes(file);
        assertEquals(List.of("a", "b"), List.copyOf(st.tensors().keySet()));
        assertArrayEquals(new float[] {0.5f, -3f}, st.get("a").toFloatArray());
        assertEquals(DType.INT32, st.get("b").dtype());
        assertArrayEquals(new int[] {7, 200, 0}, st.get("b").toIntArray());
    }

    @Test
    void readsBoolBytesOtherThanOneAsTrue() throws IOException {
        String json = "{\"m\":{\"dtype\":\"BOOL\",\"shape\":[3],\"data_offsets\":[0,3]}}";
        SafeTensors st = SafeTensors.fromBytes(SafeTensorsHostileTest.file(json, new byte[] {0, 1, (byte) 0xFF}));
        assertArrayEquals(new long[] {0, 1, 1}, st.get("m").toLongArray());
        assertEquals(2.0, st.get("m").sum().item());
        assertEquals(2, (int) st.get("m").to(DType.INT32).sum().item());
    }

    @Test
    void rejectsReservedOrNullNamesWhenWriting() {
        Path file = dir.resolve("x.safetensors");
        var e = assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.write(file, Map.of("__metadata__", Tensor.ones(1))));
        assertEquals("safetensors: write: \"__metadata__\" is reserved for metadata and cannot name a tensor", e.getMessage());
        Map<String, Tensor> withNull = new LinkedHashMap<>();
        withNull.put("a", null);
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(file, withNull));
        assertEquals(false, Files.exists(file));
    }

    @Test
    void getNamesTheMissingTensorAndTheOnesPresent() throws IOException {
        SafeTensors st = SafeTensors.fromBytes(SafeTensors.toBytes(Map.of("a", Tensor.ones(2)), Map.of()));
        var e = assertThrows(java.util.NoSuchElementException.class, () -> st.get("b"));
        assertEquals("safetensors: no tensor \"b\" (have [a])", e.getMessage());
    }

    @Test
    void writeToStreamMatchesToBytes() throws IOException {
        Map<String, Tensor> tensors = Map.of("x", Tensor.arange(10));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SafeTensors.write(out, tensors, Map.of());
        assertArrayEquals(SafeTensors.toBytes(tensors, Map.of()), out.toByteArray());
    }
}
