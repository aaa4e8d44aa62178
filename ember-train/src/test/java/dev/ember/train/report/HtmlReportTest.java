package dev.ember.train.report;

import dev.ember.tensor.Tensor;
import dev.ember.train.ConfusionMatrix;
import dev.ember.train.History;
import dev.ember.train.HistoryAccess;
import dev.ember.train.Logs;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

class HtmlReportTest {
    static HtmlReport sampleReport() {
        History h = HistoryAccess.of(List.of(
                Logs.empty().with("loss", 0.61).with("accuracy", 0.78).with("val_loss", 0.45).with("val_accuracy", 0.84),
                Logs.empty().with("loss", 0.38).with("accuracy", 0.86).with("val_loss", 0.36).with("val_accuracy", 0.87),
                Logs.empty().with("loss", 0.31).with("accuracy", 0.89).with("val_loss", 0.30).with("val_accuracy", 0.89)));
        ConfusionMatrix cm = new ConfusionMatrix(3);
        // 2 samples of class 0 (one predicted as 1), 1 of class 1, 1 of class 2.
        cm.update(Tensor.of(new float[] {5, 1, 0, 0, 5, 1, 0, 9, 1, 0, 0, 7}, 4, 3), Tensor.of(new long[] {0, 0, 1, 2}, 4));
        HtmlReport r = new HtmlReport("Fashion-MNIST <cnn> & friends")
                .config(Map.of("epochs", "3"))
                .history(h)
                .results("train", h.last())
                .results("test", Logs.empty().with("loss", 0.3).with("accuracy", 0.89))
                .confusion(cm, List.of("T-shirt/top", "Trouser", "Pullover"))
                .timing("images per second", "5,000");
        for (int i = 0; i < 6; i++) r.sample(Tensor.rand(1, 28, 28), i % 3, i % 2 == 0 ? i % 3 : (i + 1) % 3, 0.5 + i / 20.0);
        return r;
    }

    @Test
    void rendersEverySectionEscaped() {
        String html = sampleReport().render();
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.contains("<title>Fashion-MNIST &lt;cnn&gt; &amp; friends</title>"));
        for (String id : List.of("results", "curves", "confusion", "per-class", "samples")) assertTrue(html.contains("id=\"" + id + "\""), id);
        assertEquals(2, count(html, "<svg class=\"chart\""), "a loss and an accuracy chart");
        assertEquals(6, count(html, "src=\"data:image/png;base64,"));
        assertEquals(3, count(html, "<figure class=\"bad\""), "odd samples are mispredicted");
        assertFalse(html.contains("<script"), "the report needs no scripts");
        assertFalse(html.contains("http://") && html.replace("http://www.w3.org/2000/svg", "").contains("http://"), "no external resources");
        // Per-class accuracy from the matrix: class 0 1/2, class 1 0/1 (predicted 2), class 2 0/1 (predicted 1).
        assertTrue(html.contains(">50.0%<"), html);
    }

    @Test
    void writesAtomically(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("report.html");
        sampleReport().write(f);
        assertEquals(sampleReport().render().length(), Files.readString(f).length(), 200);
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
    }

    /** Opens the report in headless Chromium (Debian's chromium) and checks it renders without console messages. */
    @Test
    void rendersInHeadlessChromiumWithoutConsoleErrors(@TempDir Path dir) throws Exception {
        String chromium = findChromium();
        Assumptions.assumeTrue(chromium != null, "chromium is not installed (apt-get install chromium)");
        // The detector itself must see errors: a page with a failing script has to be flagged.
        Path bad = dir.resolve("bad.html");
        Files.writeString(bad, "<html><body><p>x</p><script>console.error('boom'); missingFunction();</script></body></html>");
        assertFalse(consoleLines(chromium, bad, dir).isEmpty(), "the console check must detect script errors");

        Path f = dir.resolve("report.html");
        sampleReport().write(f);
        List<String> console = consoleLines(chromium, f, dir);
        assertEquals(List.of(), console, "console output while rendering report.html");
        String dom = dumpDom(chromium, f, dir);
        assertTrue(dom.contains("id=\"confusion\"") && dom.contains("<polyline"), "rendered DOM lacks the report's sections");
    }

    static String findChromium() {
        for (String c : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(c))) return c;
        }
        return null;
    }

    private static List<String> consoleLines(String chromium, Path page, Path dir) throws Exception {
        Path err = dir.resolve("chromium.err");
        run(chromium, page, dir, err, "--enable-logging=stderr", "--v=0", "--dump-dom");
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(err, StandardCharsets.UTF_8)) if (line.contains(":CONSOLE")) out.add(line);
        return out;
    }

    private static String dumpDom(String chromium, Path page, Path dir) throws Exception {
        return run(chromium, page, dir, dir.resolve("chromium2.err"), "--dump-dom");
    }

    private static String run(String chromium, Path page, Path dir, Path err, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--user-data-dir=" + dir.resolve("profile")));
        cmd.addAll(List.of(extra));
        cmd.add(page.toUri().toString());
        Path out = dir.resolve("chromium.out");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish within 120 s");
        }
        assertEquals(0, p.exitValue(), () -> "chromium failed: " + readQuietly(err));
        return Files.readString(out);
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) n++;
        return n;
    }
}
