package dev.ember.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed and fully validated safetensors header. Validation happens before a single tensor byte
 * is read or allocated, so a hostile file fails fast with a message instead of exhausting memory:
 * every entry must have a readable dtype, a shape of non-negative integers whose byte size matches
 * its {@code data_offsets}, and the entries sorted by offset must tile the data buffer exactly (no
 * gap, no overlap, nothing left over), as the reference implementation requires.
 *
 * @param entries  the tensors in header order
 * @param metadata the {@code __metadata__} strings (empty if absent)
 */
record SafeTensorsHeader(List<Entry> entries, Map<String, String> metadata) {
    /** The key that holds free-form string metadata instead of a tensor. */
    static final String METADATA_KEY = "__metadata__";

    /** One tensor: where its bytes lie in the data buffer (after the header) and how to read them. */
    record Entry(String name, SafeTensorsDType dtype, int[] shape, long begin, long end) {
        long numel() {
            long n = 1;
            for (int d : shape) n *= d;
            return n;
        }
    }

    /**
     * Decodes and validates a header.
     *
     * @param source     the file name (or {@code <bytes>}) for messages
     * @param json       the header bytes (UTF-8 JSON, possibly padded with trailing spaces)
     * @param dataLength the number of bytes after the header, which the tensors must tile exactly
     */
    static SafeTensorsHeader parse(String source, byte[] json, long dataLength) throws IOException {
        Map<String, Object> root = parseJson(source, json);
        Map<String, String> metadata = Map.of();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, Object> e : root.entrySet()) {
            if (e.getKey().equals(METADATA_KEY)) metadata = metadata(source, e.getValue());
            else entries.add(entry(source, e.getKey(), e.getValue()));
        }
        checkTiling(source, entries, dataLength);
        return new SafeTensorsHeader(Collections.unmodifiableList(entries), metadata);
    }

    private static Map<String, Object> parseJson(String source, byte[] json) throws IOException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(json)).toString();
        } catch (CharacterCodingException ex) {
            throw error(source, "header is not valid UTF-8");
        }
        Object root;
        try {
            root = Json.parse(text);
        } catch (IllegalArgumentException ex) {
            throw error(source, "header is not valid JSON (" + ex.getMessage() + ")");
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw error(source, "header must be a JSON object, got " + describe(root));
        }
        @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) map;
        return m;
    }

    private static Map<String, String> metadata(String source, Object value) throws IOException {
        if (!(value instanceof Map<?, ?> map)) {
            throw error(source, METADATA_KEY + " must be an object of strings, got " + describe(value));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw error(source, METADATA_KEY + " value \"" + e.getKey() + "\" must be a string, got "
                        + describe(e.getValue()));
            }
            out.put((String) e.getKey(), s);
        }
        return Collections.unmodifiableMap(out);
    }

    private static Entry entry(String source, String name, Object value) throws IOException {
        if (!(value instanceof Map<?, ?> info)) {
            throw tensorError(source, name, "expected an object with dtype, shape and data_offsets, got " + describe(value));
        }
        Object code = info.get("dtype");
        if (!(code instanceof String codeStr)) {
            throw tensorError(source, name, "dtype must be a string, got " + describe(code));
        }
        SafeTensorsDType dtype = SafeTensorsDType.parse(codeStr);
        if (dtype == null) {
            throw tensorError(source, name, "unsupported dtype \"" + codeStr + "\" (Ember reads "
                    + SafeTensorsDType.supportedList() + ")");
        }
        long[] dims = integers(source, name, "shape", info.get("shape"), -1);
        long[] offsets = integers(source, name, "data_offsets", info.get("data_offsets"), 2);
        long begin = offsets[0];
        long end = offsets[1];
        if (end < begin) {
            throw tensorError(source, name, "data_offsets " + Arrays.toString(offsets) + " end before they begin");
        }
        int[] shape = new int[dims.length];
        long numel = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] > Integer.MAX_VALUE) {
                throw tensorError(source, name, "shape " + Arrays.toString(dims) + " has a dimension larger than 2^31-1");
            }
            shape[i] = (int) dims[i];
            numel = multiply(source, name, dims, numel, dims[i]);
        }
        if (numel > Integer.MAX_VALUE) {
            throw tensorError(source, name, "shape " + Arrays.toString(dims) + " has " + numel
                    + " elements, more than an Ember tensor holds (2^31-1)");
        }
        long bytes = numel * dtype.byteSize; // cannot overflow: numel < 2^31, byteSize <= 8
        if (bytes != end - begin) {
            throw tensorError(source, name, "shape " + Arrays.toString(dims) + " of dtype " + dtype + " needs " + bytes
                    + " bytes but data_offsets " + Arrays.toString(offsets) + " span " + (end - begin));
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static long multiply(String source, String name, long[] dims, long a, long b) throws IOException {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException ex) {
            throw tensorError(source, name, "shape " + Arrays.toString(dims) + " has more elements than fit in 64 bits");
        }
    }

    /** A JSON array of non-negative integers (of the given length, or any length if -1). */
    private static long[] integers(String source, String name, String field, Object value, int length) throws IOException {
        if (!(value instanceof List<?> list)) {
            throw tensorError(source, name, field + " must be an array of integers, got " + describe(value));
        }
        if (length >= 0 && list.size() != length) {
            throw tensorError(source, name, field + " must have " + length + " entries, got " + list.size());
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            // The JSON reader gives Long only for integers that fit in 64 bits; fractions, exponents
            // and overflowing literals arrive as Double and are rejected here.
            if (!(list.get(i) instanceof Long v) || v < 0) {
                throw tensorError(source, name, field + " entries must be non-negative integers below 2^63, got "
                        + describe(list.get(i)) + " at index " + i);
            }
            out[i] = v;
        }
        return out;
    }

    /** Sorted by offset, the tensors must cover [0, dataLength) exactly once. */
    private static void checkTiling(String source, List<Entry> entries, long dataLength) throws IOException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        Entry previous = null;
        for (Entry e : sorted) {
            if (e.begin() != expected) {
                String where = previous == null ? "the start of the data buffer"
                        : "the end of \"" + previous.name() + "\" at " + expected;
                throw tensorError(source, e.name(), "data_offsets [" + e.begin() + ", " + e.end() + "] "
                        + (e.begin() < expected ? "overlap" : "leave a gap after") + " " + where
                        + " (tensors must be contiguous and must not overlap)");
            }
            expected = e.end();
            previous = e;
        }
        if (expected != dataLength) {
            throw error(source, "tensors cover " + expected + " bytes of data but the data buffer after the header has "
                    + dataLength + (expected > dataLength ? " (file truncated?)" : " (unexplained trailing bytes)"));
        }
    }

    private static String describe(Object v) {
        return switch (v) {
            case null -> "null";
            case String s -> "string \"" + s + "\"";
            case Map<?, ?> m -> "an object";
            case List<?> l -> "an array";
            default -> v.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " " + v;
        };
    }

    static IOException error(String source, String problem) {
        return new IOException("safetensors: " + source + ": " + problem);
    }

    private static IOException tensorError(String source, String name, String problem) {
        return error(source, "tensor \"" + name + "\": " + problem);
    }
}
