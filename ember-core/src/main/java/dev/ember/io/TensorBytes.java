package dev.ember.io;

import dev.ember.autograd.Grad;
import dev.ember.ops.Creation;
import dev.ember.tensor.HeapStorage;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;
import dev.ember.tensor.TensorAccess;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Converts tensor elements to and from little-endian row-major bytes, in bounded chunks so that
 * neither side ever holds a second full copy of a large tensor as bytes.
 */
final class TensorBytes {
    /** Bytes moved per chunk; a multiple of every element size. */
    private static final int CHUNK = 1 << 20;

    private TensorBytes() {
    }

    /** Random-access bytes: a file channel or an in-memory array. */
    interface Source {
        /** Fills {@code dst} (up to its limit) with the bytes starting at {@code position}. */
        void read(long position, ByteBuffer dst) throws IOException;

        static Source of(FileChannel ch) {
            return (position, dst) -> {
                long p = position;
                while (dst.hasRemaining()) {
                    int n = ch.read(dst, p);
                    if (n < 0) throw new EOFException("file ended at byte " + p + " (was it truncated while being read?)");
                    p += n;
                }
            };
        }

        static Source of(byte[] bytes) {
            return (position, dst) -> dst.put(ByteBuffer.wrap(bytes, Math.toIntExact(position), dst.remaining()));
        }
    }

    /** Reads one validated header entry whose data buffer starts at {@code dataStart} in {@code src}. */
    static Tensor read(Source src, long dataStart, SafeTensorsHeader.Entry e) throws IOException {
        int n = (int) e.numel(); // the header checked numel <= 2^31-1
        int size = e.dtype().byteSize;
        HeapStorage storage = HeapStorage.allocate(e.dtype().loadsAs, n);
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, (long) n * size)).order(ByteOrder.LITTLE_ENDIAN);
        int perChunk = CHUNK / size;
        for (int done = 0; done < n; ) {
            int k = Math.min(perChunk, n - done);
            buf.clear().limit(k * size);
            src.read(dataStart + e.begin() + (long) done * size, buf);
            buf.flip();
            decode(e.dtype(), buf, storage, done, k);
            done += k;
        }
        return TensorAccess.make(storage, Shape.of(e.shape()));
    }

    /** Converts {@code k} elements from {@code buf} into {@code storage} starting at element {@code at}. */
    private static void decode(SafeTensorsDType dtype, ByteBuffer buf, HeapStorage storage, int at, int k) {
        switch (dtype) {
            case F32 -> buf.asFloatBuffer().get(storage.floats(), at, k);
            case F64 -> buf.asDoubleBuffer().get(storage.doubles(), at, k);
            case I64 -> buf.asLongBuffer().get(storage.longs(), at, k);
            case I32 -> buf.asIntBuffer().get(storage.ints(), at, k);
            case BOOL -> {
                byte[] out = storage.bools(); // Ember keeps bools as exactly 0/1
                for (int i = 0; i < k; i++) out[at + i] = (byte) (buf.get(i) != 0 ? 1 : 0);
            }
            case F16 -> {
                float[] out = storage.floats();
                for (int i = 0; i < k; i++) out[at + i] = Float.float16ToFloat(buf.getShort(2 * i));
            }
            case BF16 -> {
                float[] out = storage.floats(); // bfloat16 is the top half of a float32
                for (int i = 0; i < k; i++) out[at + i] = Float.intBitsToFloat(buf.getShort(2 * i) << 16);
            }
            case U8 -> {
                int[] out = storage.ints();
                for (int i = 0; i < k; i++) out[at + i] = buf.get(i) & 0xFF;
            }
            case I8 -> {
                int[] out = storage.ints();
                for (int i = 0; i < k; i++) out[at + i] = buf.get(i);
            }
            case I16 -> {
                int[] out = storage.ints();
                for (int i = 0; i < k; i++) out[at + i] = buf.getShort(2 * i);
            }
            case U16 -> {
                int[] out = storage.ints();
                for (int i = 0; i < k; i++) out[at + i] = buf.getShort(2 * i) & 0xFFFF;
            }
            case U32 -> {
                long[] out = storage.longs();
                for (int i = 0; i < k; i++) out[at + i] = buf.getInt(4 * i) & 0xFFFFFFFFL;
            }
        }
    }

    /** A contiguous CPU tensor with {@code t}'s values, no history, possibly {@code t} itself. */
    static Tensor dense(Tensor t) {
        try (var g = Grad.off()) {
            return Creation.toCpu(t.detach()).contiguous();
        }
    }

    /**
     * Writes the elements of a {@link #dense} tensor as little-endian bytes in row-major order
     * ({@code numel * byteSize} bytes; bools as 0/1 bytes).
     */
    static void write(OutputStream out, Tensor dense) throws IOException {
        HeapStorage storage = (HeapStorage) dense.storage();
        int n = dense.numel();
        int size = dense.dtype().byteSize();
        int start = dense.offset();
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, (long) n * size)).order(ByteOrder.LITTLE_ENDIAN);
        int perChunk = CHUNK / size;
        for (int done = 0; done < n; ) {
            int k = Math.min(perChunk, n - done);
            buf.clear();
            int from = start + done;
            switch (dense.dtype()) {
                case FLOAT32 -> buf.asFloatBuffer().put(storage.floats(), from, k);
                case FLOAT64 -> buf.asDoubleBuffer().put(storage.doubles(), from, k);
                case INT64 -> buf.asLongBuffer().put(storage.longs(), from, k);
                case INT32 -> buf.asIntBuffer().put(storage.ints(), from, k);
                case BOOL -> buf.put(storage.bools(), from, k);
            }
            out.write(buf.array(), 0, k * size);
            done += k;
        }
    }
}
