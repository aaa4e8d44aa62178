package dev.ember.io;

import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Corrupt and hostile safetensors files: each must fail with an IOException whose message names the
 * file, the tensor and the problem, before any tensor memory is allocated.
 */
class SafeTensorsHostileTest {
    @TempDir
    Path dir;

    /** A file made of an 8-byte little-endian length, the header as given, and the data. */
    static byte[] file(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return file(h.length, h, data);
    }

    /** A file with an explicit (possibly lying) header length. */
    static byte[] file(long declaredLength, byte[] header, byte[] data) {
        return ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(declaredLength).put(header).put(data).array();
    }

    /** Writes the bytes to bad.safetensors, reads them, and returns the message after the file name. */
    private String failure(byte[] bytes) throws IOException {
        Path f = dir.resolve("bad.safetensors");
        Files.write(f, bytes);
        IOException e = assertThrows(IOException.class, () -> SafeTensors.read(f));
        String prefix = "safetensors: " + f + ": ";
        assertTrue(e.getMessage().startsWith(prefix), () -> "message names the file: " + e.getMessage());
        IOException fromBytes = assertThrows(IOException.class, () -> SafeTensors.fromBytes(bytes));
        assertEquals(e.getMessage().substring(prefix.length()),
                fromBytes.getMessage().substring("safetensors: <bytes>: ".length()), "same diagnosis in memory");
        return e.getMessage().substring(prefix.length());
    }

    private String failure(String header, int dataBytes) throws IOException {
        return failure(file(header, new byte[dataBytes]));
    }

    private static String f32(String name, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"F32\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    @Test
    void tooShortForTheLength() throws IOException {
        assertEquals("file has 5 bytes, too few for the 8-byte header length", failure(new byte[5]));
    }

    @Test
    void headerLengthAboveTheLimit() throws IOException {
        assertEquals("header length 100000001 exceeds the limit of 100000000 bytes (not a safetensors file?)",
                failure(file(100_000_001L, new byte[0], new byte[0])));
        assertEquals("header length 18446744073709551615 exceeds the limit of 100000000 bytes (not a safetensors file?)",
                failure(file(-1L, new byte[0], new byte[0])));
    }

    @Test
    void headerLengthPastTheEndOfTheFile() throws IOException {
        assertEquals("header length 1000 runs past the end of the file (30 bytes; truncated or not a safetensors file?)",
                failure(file(1000, "{}".getBytes(StandardCharsets.US_ASCII), new byte[20])));
    }

    @Test
    void headerNotUtf8NotJsonOrNotAnObject() throws IOException {
        assertEquals("header is not valid UTF-8",
                failure(file(4, new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}, new byte[0])));
        assertEquals("header is not valid JSON (JSON: expected ',' or '}' at offset 10)", failure("{\"a\":{}  x", 0));
        assertEquals("header must be a JSON object, got an array", failure("[1, 2]", 0));
        assertEquals("header must be a JSON object, got string \"hi\"", failure("\"hi\"", 0));
    }

    @Test
    void duplicateTensorNames() throws IOException {
        String header = "{" + f32("w", "[1]", 0, 4) + "," + f32("w", "[1]", 4, 8) + "}";
        assertEquals("header is not valid JSON (JSON: duplicate key \"w\" at offset 58)", failure(header, 8));
    }

    @Test
    void entryNotAnObjectOrMissingFields() throws IOException {
        assertEquals("tensor \"w\": expected an object with dtype, shape and data_offsets, got long 3",
                failure("{\"w\": 3}", 0));
        assertEquals("tensor \"w\": dtype must be a string, got null",
                failure("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4));
        assertEquals("tensor \"w\": shape must be an array of integers, got null",
                failure("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4));
        assertEquals("tensor \"w\": data_offsets must have 2 entries, got 3", failure("{" + f32("w", "[1]", 0, 4)
                .replace("[0,4]", "[0,4,8]") + "}", 4));
    }

    @Test
    void unknownDtype() throws IOException {
        assertEquals("tensor \"w\": unsupported dtype \"F8_E4M3\" (Ember reads F32, F64, I64, I32, BOOL, F16, BF16, "
                        + "U8, I8, I16, U16, U32)",
                failure("{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[4],\"data_offsets\":[0,4]}}", 4));
    }

    @Test
    void shapeValuesThatAreNotNonNegativeIntegers() throws IOException {
        assertEquals("tensor \"w\": shape entries must be non-negative integers below 2^63, got long -1 at index 1",
                failure("{" + f32("w", "[2,-1]", 0, 0) + "}", 0));
        assertEquals("tensor \"w\": shape entries must be non-negative integers below 2^63, got double 1.5 at index 0",
                failure("{" + f32("w", "[1.5]", 0, 4) + "}", 4));
        assertEquals("tensor \"w\": shape entries must be non-negative integers below 2^63, got double Infinity at index 0",
                failure("{" + f32("w", "[1e400]", 0, 4) + "}", 4));
        assertEquals("tensor \"w\": shape entries must be non-negative integers below 2^63, got double 1.0E20 at index 0",
                failure("{" + f32("w", "[100000000000000000000]", 0, 4) + "}", 4));
        assertEquals("tensor \"w\": shape entries must be non-negative integers below 2^63, got string \"2\" at index 0",
                failure("{" + f32("w", "[\"2\"]", 0, 8) + "}", 8));
        assertEquals("header is not valid JSON (JSON: unexpected character 'N' at offset 29)",
                failure("{" + f32("w", "[NaN]", 0, 4) + "}", 4));
        assertEquals("tensor \"w\": data_offsets entries must be non-negative integers below 2^63, got long -4 at index 0",
                failure("{" + f32("w", "[1]", -4, 0) + "}", 4));
    }

    @Test
    void shapesTooLargeForMemoryOrSixtyFourBits() throws IOException {
        assertEquals("tensor \"w\": shape [2147483647, 2147483647, 2147483647] has more elements than fit in 64 bits",
                failure("{" + f32("w", "[2147483647,2147483647,2147483647]", 0, 4) + "}", 4));
        assertEquals("tensor \"w\": shape [4294967296, 4294967296] has a dimension larger than 2^31-1",
                failure("{" + f32("w", "[4294967296,4294967296]", 0, 4) + "}", 4));
        assertEquals("tensor \"w\": shape [3000000000] has a dimension larger than 2^31-1",
                failure("{" + f32("w", "[3000000000]", 0, 12_000_000_000L) + "}", 0));
        assertEquals("tensor \"w\": shape [65536, 65536] has 4294967296 elements, more than an Ember tensor holds (2^31-1)",
                failure("{" + f32("w", "[65536,65536]", 0, 17179869184L) + "}", 0));
    }

    @Test
    void shapeDisagreesWithTheByteLength() throws IOException {
        assertEquals("tensor \"w\": shape [2, 3] of dtype F32 needs 24 bytes but data_offsets [0, 20] span 20",
                failure("{" + f32("w", "[2,3]", 0, 20) + "}", 20));
        assertEquals("tensor \"w\": data_offsets [8, 4] end before they begin",
                failure("{" + f32("w", "[1]", 8, 4) + "}", 8));
    }

    @Test
    void overlappingOffsets() throws IOException {
        String header = "{" + f32("a", "[2]", 0, 8) + "," + f32("b", "[2]", 4, 12) + "}";
        assertEquals("tensor \"b\": data_offsets [4, 12] overlap the end of \"a\" at 8 (tensors must be contiguous and must not overlap)",
                failure(header, 12));
    }

    @Test
    void gapsBetweenOrBeforeTensors() throws IOException {
        String gap = "{" + f32("a", "[1]", 0, 4) + "," + f32("b", "[1]", 8, 12) + "}";
        assertEquals("tensor \"b\": data_offsets [8, 12] leave a gap after the end of \"a\" at 4 (tensors must be contiguous and must not overlap)",
                failure(gap, 12));
        String late = "{" + f32("a", "[1]", 4, 8) + "}";
        assertEquals("tensor \"a\": data_offsets [4, 8] leave a gap after the start of the data buffer (tensors must be contiguous and must not overlap)",
                failure(late, 8));
    }

    @Test
    void offsetsNotCoveringTheBufferOrPastItsEnd() throws IOException {
        String header = "{" + f32("a", "[2]", 0, 8) + "}";
        assertEquals("tensors cover 8 bytes of data but the data buffer after the header has 12 (unexplained trailing bytes)",
                failure(header, 12));
        assertEquals("tensors cover 8 bytes of data but the data buffer after the header has 5 (file truncated?)",
                failure(header, 5));
        assertEquals("tensors cover 0 bytes of data but the data buffer after the header has 3 (unexplained trailing bytes)",
                failure("{}", 3));
    }

    @Test
    void badMetadata() throws IOException {
        assertEquals("__metadata__ must be an object of strings, got an array", failure("{\"__metadata__\":[]}", 0));
        assertEquals("__metadata__ value \"epoch\" must be a string, got long 3",
                failure("{\"__metadata__\":{\"epoch\":3}}", 0));
    }

    @Test
    void truncatedCopyOfAValidFile() throws IOException {
        byte[] good = SafeTensors.toBytes(Map.of("w", Tensor.ones(10)), Map.of());
        byte[] cut = java.util.Arrays.copyOf(good, good.length - 1);
        assertEquals("tensors cover 40 bytes of data but the data buffer after the header has 39 (file truncated?)",
                failure(cut));
    }

    @Test
    void emptyHeaderObjectWithNoDataIsAValidEmptyFile() throws IOException {
        SafeTensors st = SafeTensors.fromBytes(file("{}", new byte[0]));
        assertEquals(Map.of(), st.tensors());
        assertEquals(Map.of(), st.metadata());
    }
}
