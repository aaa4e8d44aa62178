package dev.ember.train.tensorboard;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The test reader itself: it must notice truncation and corruption, or the other tests prove little. */
class EventFilesTest {
    @TempDir
    Path dir;

    @Test
    void maskedCrcOfTheStandardCheckString() {
        // CRC32C("123456789") = 0xE3069283 (the published check value); masked by hand:
        // rotr(0xE3069283, 15) = 0x2507C60D, + 0xA282EAD8 = 0xC78AB0E5 (mod 2^32).
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0xC78AB0E5, EventFiles.masked(check, 0, check.length));
    }

    @Test
    void detectsATruncatedFileAtEveryCutPoint() throws IOException {
        try (SummaryWriter w = new SummaryWriter(dir)) {
            w.addScalar("a", 1, 1);
            w.addText("t", "some text", 2);
        }
        byte[] whole = Files.readAllBytes(EventFiles.onlyEventFile(dir));
        int records = EventFiles.records(whole).size();
        assertEquals(3, records);
        int boundaries = 0;
        for (int cut = 1; cut < whole.length; cut++) {
            byte[] part = Arrays.copyOf(whole, cut);
            try {
                int n = EventFiles.records(part).size(); // only a cut exactly between records parses
                boundaries++;
                assertTrue(n < records, "cut at " + cut);
            } catch (IOException e) {
                assertTrue(e.getMessage().startsWith("truncated record"), e.getMessage());
            }
        }
        assertEquals(records - 1, boundaries, "cuts that fall between records");
    }

    @Test
    void detectsAFlippedBitInTheLengthOrTheData() throws IOException {
        try (SummaryWriter w = new SummaryWriter(dir)) {
            w.addScalar("a", 1, 1);
        }
        byte[] whole = Files.readAllBytes(EventFiles.onlyEventFile(dir));
        byte[] lengthHit = whole.clone();
        lengthHit[0] ^= 0x01;
        assertEquals("length CRC mismatch at byte 0",
                assertThrows(IOException.class, () -> EventFiles.records(lengthHit)).getMessage());
        byte[] dataHit = whole.clone();
        dataHit[14] ^= 0x10;
        assertEquals("data CRC mismatch at byte 0",
                assertThrows(IOException.class, () -> EventFiles.records(dataHit)).getMessage());
    }
}
