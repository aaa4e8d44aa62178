package dev.ember.train.tensorboard;

import com.google.protobuf.InvalidProtocolBufferException;
import org.tensorflow.util.Event;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Test-side reader of event files, written independently of the production code (it shares no
 * class with it): TFRecord framing with both CRCs checked, then TensorFlow's generated
 * {@link Event#parseFrom} for the payload.
 */
final class EventFiles {
    private EventFiles() {
    }

    /** TensorFlow's masked CRC32C: rotate right by 15 bits, add a constant. */
    static int masked(byte[] b, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(b, off, len);
        int c = (int) crc.getValue();
        return Integer.rotateRight(c, 15) + 0xa282ead8;
    }

    /** The payload of every record; throws on a truncated record or a CRC mismatch. */
    static List<byte[]> records(byte[] file) throws IOException {
        List<byte[]> out = new ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        while (in.hasRemaining()) {
            int start = in.position();
            if (in.remaining() < 12) throw new IOException("truncated record header at byte " + start);
            long length = in.getLong();
            int lengthCrc = in.getInt();
            if (lengthCrc != masked(file, start, 8)) throw new IOException("length CRC mismatch at byte " + start);
            if (length < 0 || length > in.remaining() - 4) {
                throw new IOException("truncated record at byte " + start + ": needs " + length + " + 4 bytes, "
                        + in.remaining() + " left");
            }
            byte[] data = new byte[(int) length];
            in.get(data);
            if (in.getInt() != masked(data, 0, data.length)) throw new IOException("data CRC mismatch at byte " + start);
            out.add(data);
        }
        return out;
    }

    /** Every event of a file. */
    static List<Event> events(Path file) throws IOException {
        List<Event> out = new ArrayList<>();
        for (byte[] r : records(Files.readAllBytes(file))) out.add(parse(r));
        return out;
    }

    static Event parse(byte[] record) throws InvalidProtocolBufferException {
        return Event.parseFrom(record);
    }

    /** The single events.out.tfevents.* file of a folder. */
    static Path onlyEventFile(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).toList();
            if (files.size() != 1) throw new AssertionError("expected one event file in " + dir + ", found " + files);
            return files.get(0);
        }
    }
}
