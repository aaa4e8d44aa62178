package dev.ember.train.tensorboard;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * TFRecord framing, the container of TensorBoard event files. Each record is
 * <pre>
 *   uint64 length            (little-endian)
 *   uint32 masked_crc(length bytes)
 *   byte   data[length]
 *   uint32 masked_crc(data)
 * </pre>
 * where {@code masked_crc(x) = ((c >>> 15) | (c << 17)) + 0xa282ead8} with {@code c = crc32c(x)}
 * (the mask keeps CRCs of data that itself contains CRCs from being trivially related).
 */
final class TfRecord {
    private static final int MASK_DELTA = 0xa282ead8;

    private TfRecord() {
    }

    /** The complete framed record for {@code data}, ready to be written in one piece. */
    static byte[] frame(byte[] data) {
        ByteBuffer out = ByteBuffer.allocate(8 + 4 + data.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(data.length);
        out.putInt(maskedCrc32c(out.array(), 0, 8));
        out.put(data);
        out.putInt(maskedCrc32c(data, 0, data.length));
        return out.array();
    }

    /** The masked CRC32C of {@code len} bytes of {@code b} from {@code off}. */
    static int maskedCrc32c(byte[] b, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(b, off, len);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + MASK_DELTA;
    }
}
