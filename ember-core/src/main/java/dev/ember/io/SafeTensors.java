package dev.ember.io;

import dev.ember.tensor.Tensor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Reads and writes the <a href="https://github.com/huggingface/safetensors">safetensors</a> format,
 * the tensor file format of Hugging Face and the one Ember checkpoints use.
 *
 * <p>Layout: an 8-byte little-endian unsigned header length {@code N}; {@code N} bytes of UTF-8 JSON
 * mapping each tensor name to {@code {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}}
 * plus an optional {@code "__metadata__"} object of strings; then the data buffer, where each tensor's
 * elements lie little-endian in row-major order at {@code [begin, end)} relative to the start of the
 * buffer. Ember writes the tensors in map order without gaps and pads the header with spaces to a
 * multiple of 8 bytes, as the reference writer does; when reading it assumes neither padding nor
 * alignment nor order.
 *
 * <p>Written dtypes: F32, F64, I64, I32, BOOL. Read additionally: F16 and BF16 (as FLOAT32), U8, I8,
 * I16, U16 (as INT32) and U32 (as INT64). Reading validates the whole header before allocating any
 * tensor (size limit, offsets tiling the buffer exactly, shapes matching byte lengths), so a corrupt
 * or hostile file fails with an {@link IOException} naming the file, the tensor and the problem.
 * Writing to a path is atomic (see {@link AtomicFiles}).
 *
 * <pre>{@code
 * SafeTensors.write(Path.of("model.safetensors"), model.stateDict(), Map.of("epoch", "3"));
 * SafeTensors file = SafeTensors.read(Path.of("model.safetensors"));
 * Tensor w = file.get("fc1.weight");
 * }</pre>
 *
 * @param tensors  the tensors by name, in file order (unmodifiable)
 * @param metadata the {@code __metadata__} strings (unmodifiable, empty if none)
 */
public record SafeTensors(Map<String, Tensor> tensors, Map<String, String> metadata) {
    /** The largest header accepted when reading: 100 MB, as in the reference implementation. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    /** Copies both maps, keeping their order. */
    public SafeTensors {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** The tensor called {@code name}; throws a message listing the names present if there is none. */
    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) throw new NoSuchElementException("safetensors: no tensor \"" + name + "\" (have " + tensors.keySet() + ")");
        return t;
    }

    // ------------------------------------------------------------------ writing

    /** Writes {@code tensors} (in map order) and no metadata to {@code path}, atomically. */
    public static void write(Path path, Map<String, Tensor> tensors) throws IOException {
        write(path, tensors, Map.of());
    }

    /**
     * Writes {@code tensors} (in map order) and {@code metadata} to {@code path}, atomically: a crash
     * leaves either the old file or the complete new one.
     *
     * @throws IllegalArgumentException for a tensor named {@code __metadata__} or null names/values
     */
    public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        List<Tensor> dense = denseAll(tensors);
        byte[] header = header(tensors, dense, metadata);
        AtomicFiles.write(path, out -> writeBody(out, header, dense));
    }

    /** Writes the safetensors bytes to {@code out} (not closed). */
    public static void write(OutputStream out, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        List<Tensor> dense = denseAll(tensors);
        writeBody(out, header(tensors, dense, metadata), dense);
    }

    /** The safetensors bytes of {@code tensors} and {@code metadata} (for files under 2 GB). */
    public static byte[] toBytes(Map<String, Tensor> tensors, Map<String, String> metadata) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            write(bytes, tensors, metadata);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    private static List<Tensor> denseAll(Map<String, Tensor> tensors) {
        List<Tensor> out = new ArrayList<>(tensors.size());
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("safetensors: write: null name or tensor (name " + e.getKey() + ")");
            }
            if (e.getKey().equals(SafeTensorsHeader.METADATA_KEY)) {
                throw new IllegalArgumentException("safetensors: write: \"" + SafeTensorsHeader.METADATA_KEY
                        + "\" is reserved for metadata and cannot name a tensor");
            }
            out.add(TensorBytes.dense(e.getValue()));
        }
        return out;
    }

    /** The JSON header, padded with spaces to a multiple of 8 bytes so the data starts aligned. */
    private static byte[] header(Map<String, Tensor> tensors, List<Tensor> dense, Map<String, String> metadata) {
        Map<String, Object> json = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (e.getKey() == null || e.getValue() == null) {
                    throw new IllegalArgumentException("safetensors: write: null metadata key or value (key " + e.getKey() + ")");
                }
            }
            json.put(SafeTensorsHeader.METADATA_KEY, new LinkedHashMap<>(metadata));
        }
        long offset = 0;
        int i = 0;
        for (String name : tensors.keySet()) {
            Tensor t = dense.get(i++);
            long end = offset + (long) t.numel() * t.dtype().byteSize();
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", SafeTensorsDType.of(t.dtype()).name());
            info.put("shape", t.shape().toArray());
            info.put("data_offsets", new long[] {offset, end});
            json.put(name, info);
            offset = end;
        }
        byte[] text = Json.write(json).getBytes(StandardCharsets.UTF_8);
        int padded = (text.length + 7) & ~7;
        byte[] out = new byte[padded];
        System.arraycopy(text, 0, out, 0, text.length);
        for (int k = text.length; k < padded; k++) out[k] = ' ';
        return out;
    }

    private static void writeBody(OutputStream out, byte[] header, List<Tensor> dense) throws IOException {
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
        out.write(header);
        for (Tensor t : dense) TensorBytes.write(out, t);
    }

    // ------------------------------------------------------------------ reading

    /** Reads a safetensors file. */
    public static SafeTensors read(Path path) throws IOException {
        String source = path.toString();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            return read(source, TensorBytes.Source.of(ch), ch.size());
        }
    }

    /** Reads safetensors bytes held in memory. */
    public static SafeTensors fromBytes(byte[] bytes) throws IOException {
        return read("<bytes>", TensorBytes.Source.of(bytes), bytes.length);
    }

    /** Reads safetensors content from a stream, to its end (the stream is not closed). */
    public static SafeTensors read(InputStream in) throws IOException {
        byte[] bytes = in.readAllBytes();
        return read("<stream>", TensorBytes.Source.of(bytes), bytes.length);
    }

    private static SafeTensors read(String source, TensorBytes.Source src, long size) throws IOException {
        if (size < 8) {
            throw SafeTensorsHeader.error(source, "file has " + size + " bytes, too few for the 8-byte header length");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        src.read(0, lengthBytes);
        long n = lengthBytes.getLong(0); // unsigned: negative means >= 2^63
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw SafeTensorsHeader.error(source, "header length " + Long.toUnsignedString(n)
                    + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes (not a safetensors file?)");
        }
        if (n > size - 8) {
            throw SafeTensorsHeader.error(source, "header length " + n + " runs past the end of the file ("
                    + size + " bytes; truncated or not a safetensors file?)");
        }
        ByteBuffer json = ByteBuffer.allocate((int) n);
        src.read(8, json);
        SafeTensorsHeader header = SafeTensorsHeader.parse(source, json.array(), size - 8 - n);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (SafeTensorsHeader.Entry e : header.entries()) {
            tensors.put(e.name(), TensorBytes.read(src, 8 + n, e));
        }
        return new SafeTensors(tensors, header.metadata());
    }
}
