package dev.ember.train.tensorboard;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A tiny protocol-buffers wire-format encoder, enough to write TensorBoard's messages without a
 * protobuf runtime. Fields are appended in the order the caller writes them; callers write them in
 * field-number order, as protobuf's own serializers do, so the bytes match theirs.
 *
 * <p>Singular scalar methods follow proto3: a field holding its default (0, empty, false) is omitted.
 * Members of a {@code oneof} and elements of repeated fields must be written even when they hold the
 * default, hence the {@code ...Always} variants.
 *
 * <p>Wire types: 0 varint, 1 fixed 64-bit, 2 length-delimited, 5 fixed 32-bit; a field's key is
 * {@code (number << 3) | wireType} as a varint; integers are little-endian base-128 varints.
 */
final class ProtoWriter {
    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LENGTH_DELIMITED = 2;
    private static final int FIXED32 = 5;

    private byte[] buf = new byte[64];
    private int size;

    /** An int32/int64/enum/bool field (omitted when 0). Negative values take 10 bytes, as in protobuf. */
    ProtoWriter varint(int field, long value) {
        if (value != 0) varintAlways(field, value);
        return this;
    }

    ProtoWriter varintAlways(int field, long value) {
        key(field, VARINT);
        rawVarint(value);
        return this;
    }

    /** A double field (omitted when +0.0; -0.0 has other bits and is written). */
    ProtoWriter float64(int field, double value) {
        if (Double.doubleToRawLongBits(value) != 0) {
            key(field, FIXED64);
            rawFixed64(Double.doubleToRawLongBits(value));
        }
        return this;
    }

    /** A float field that is a member of a oneof (written even when 0). */
    ProtoWriter float32Always(int field, float value) {
        key(field, FIXED32);
        int bits = Float.floatToRawIntBits(value);
        ensure(4);
        for (int i = 0; i < 4; i++) buf[size++] = (byte) (bits >>> (8 * i));
        return this;
    }

    /** A string field (omitted when empty). */
    ProtoWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A string field that is a oneof member or a repeated element (written even when empty). */
    ProtoWriter stringAlways(int field, String value) {
        return bytesAlways(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A bytes field (omitted when empty). */
    ProtoWriter bytes(int field, byte[] value) {
        if (value.length > 0) bytesAlways(field, value);
        return this;
    }

    ProtoWriter bytesAlways(int field, byte[] value) {
        key(field, LENGTH_DELIMITED);
        rawVarint(value.length);
        append(value, value.length);
        return this;
    }

    /** An embedded message (always written: presence of a message field is meaningful). */
    ProtoWriter message(int field, ProtoWriter message) {
        key(field, LENGTH_DELIMITED);
        rawVarint(message.size);
        append(message.buf, message.size);
        return this;
    }

    /** A packed repeated double field (omitted when empty). */
    ProtoWriter packedDoubles(int field, double[] values) {
        if (values.length == 0) return this;
        key(field, LENGTH_DELIMITED);
        rawVarint(8L * values.length);
        for (double v : values) rawFixed64(Double.doubleToRawLongBits(v));
        return this;
    }

    /** The encoded message. */
    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    /** Encoded length in bytes. */
    int size() {
        return size;
    }

    private void key(int field, int wireType) {
        rawVarint(((long) field << 3) | wireType);
    }

    private void rawVarint(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
    }

    private void rawFixed64(long bits) {
        ensure(8);
        for (int i = 0; i < 8; i++) buf[size++] = (byte) (bits >>> (8 * i));
    }

    private void append(byte[] src, int n) {
        ensure(n);
        System.arraycopy(src, 0, buf, size, n);
        size += n;
    }

    private void ensure(int extra) {
        if (size + extra > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
    }
}
