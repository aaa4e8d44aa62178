package dev.ember.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ember bench elementwise} parses its options and prints one parseable line per workload (no timing asserted). */
class ElementwiseBenchTest {
    @Test
    void printsOneLinePerSelectedWorkload() {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            rc = Main.commandLine().execute("bench", "elementwise", "--size", "4096", "--threads", "1", "--reps", "3",
                    "--only", "add,sum,softmax");
        } finally {
            System.setOut(old);
        }
        assertEquals(0, rc);
        String[] lines = buf.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertEquals(3, lines.length, String.join("\n", lines));
        String[] names = {"add", "sum", "softmax"};
        for (int i = 0; i < 3; i++) {
            assertTrue(lines[i].matches(names[i] + " n=4096 threads=1 gbps=[0-9.]+ ms=[0-9.]+"), lines[i]);
        }
    }

    @Test
    void rejectsTinySizes() {
        int rc = Main.commandLine().execute("bench", "elementwise", "--size", "10");
        assertEquals(1, rc);
    }
}
