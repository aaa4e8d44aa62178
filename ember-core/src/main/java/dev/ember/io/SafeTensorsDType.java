package dev.ember.io;

import dev.ember.tensor.DType;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The safetensors element types Ember reads, with their byte size and the Ember dtype they load as.
 * F32, F64, I64, I32 and BOOL map one to one (and are the ones Ember writes); half-precision floats
 * widen to FLOAT32 and the small integer types widen to INT32 (U32 to INT64) because Ember has no
 * such dtypes. Every value converts exactly.
 */
enum SafeTensorsDType {
    F32(4, DType.FLOAT32),
    F64(8, DType.FLOAT64),
    I64(8, DType.INT64),
    I32(4, DType.INT32),
    BOOL(1, DType.BOOL),
    F16(2, DType.FLOAT32),
    BF16(2, DType.FLOAT32),
    U8(1, DType.INT32),
    I8(1, DType.INT32),
    I16(2, DType.INT32),
    U16(2, DType.INT32),
    U32(4, DType.INT64);

    final int byteSize;
    final DType loadsAs;

    SafeTensorsDType(int byteSize, DType loadsAs) {
        this.byteSize = byteSize;
        this.loadsAs = loadsAs;
    }

    /** The safetensors code an Ember dtype is written as. */
    static SafeTensorsDType of(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> F32;
            case FLOAT64 -> F64;
            case INT64 -> I64;
            case INT32 -> I32;
            case BOOL -> BOOL;
        };
    }

    /** The entry for a header's dtype string, or null if Ember cannot read it. */
    static SafeTensorsDType parse(String code) {
        for (SafeTensorsDType d : values()) {
            if (d.name().equals(code)) return d;
        }
        return null;
    }

    /** "F32, F64, ..." for error messages. */
    static String supportedList() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
