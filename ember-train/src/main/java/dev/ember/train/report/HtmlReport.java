package dev.ember.train.report;

import dev.ember.io.AtomicFiles;
import dev.ember.tensor.Tensor;
import dev.ember.train.ConfusionMatrix;
import dev.ember.train.History;
import dev.ember.train.Logs;
import dev.ember.train.tensorboard.PngImage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A self-contained HTML page about one training run: the configuration, the final train and test
 * results, loss and accuracy curves per epoch, the test confusion matrix, per-class accuracy, a grid of
 * test images with predicted and true labels, and timing. Charts are inline SVG and images are PNG data
 * URIs: the file needs no network, no scripts and no other files, so it opens anywhere and can be mailed.
 *
 * <pre>{@code
 * HtmlReport r = new HtmlReport("Fashion-MNIST, cnn")
 *         .config(Map.of("epochs", "3", "lr", "0.05")).history(history)
 *         .results("train", trainLogs).results("test", testLogs)
 *         .confusion(cm, classes).sample(image, trueLabel, predictedLabel, probability)
 *         .timing("images per second", "5,210");
 * r.write(runDir.resolve("report.html"));
 * }</pre>
 */
public final class HtmlReport {
    /** One test image with its labels; {@code image} is [C, H, W] or [H, W] with values in [0, 1]. */
    public record Sample(Tensor image, int trueLabel, int predicted, double probability) {}

    private final String title;
    private final Map<String, String> config = new LinkedHashMap<>();
    private final Map<String, Logs> results = new LinkedHashMap<>();
    private final Map<String, String> timing = new LinkedHashMap<>();
    private final List<Sample> samples = new ArrayList<>();
    private History history;
    private ConfusionMatrix confusion;
    private List<String> classes = List.of();

    public HtmlReport(String title) {
        this.title = title;
    }

    /** Run settings shown as a table (insertion order). Returns this. */
    public HtmlReport config(Map<String, String> values) {
        config.putAll(values);
        return this;
    }

    /** The per-epoch logs to draw as curves. Returns this. */
    public HtmlReport history(History h) {
        this.history = h;
        return this;
    }

    /** Final results of one data split (e.g. "train", "test"). Returns this. */
    public HtmlReport results(String split, Logs logs) {
        results.put(split, logs);
        return this;
    }

    /** The confusion matrix (rows: true class, columns: predicted) and the class names. Returns this. */
    public HtmlReport confusion(ConfusionMatrix cm, List<String> classNames) {
        this.confusion = cm;
        this.classes = List.copyOf(classNames);
        return this;
    }

    /** Adds one image to the prediction grid. Returns this. */
    public HtmlReport sample(Tensor image, int trueLabel, int predicted, double probability) {
        samples.add(new Sample(image, trueLabel, predicted, probability));
        return this;
    }

    /** A timing line (e.g. "training time", "12.3 s"). Returns this. */
    public HtmlReport timing(String what, String value) {
        timing.put(what, value);
        return this;
    }

    /** Writes the page atomically (temporary file + rename). */
    public void write(Path file) throws IOException {
        AtomicFiles.writeString(file, render());
    }

    /** The page as a string. */
    public String render() {
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>").append(esc(title)).append("</title>\n");
        h.append("<style>\n").append(CSS).append("</style></head>\n<body>\n");
        h.append("<h1>").append(esc(title)).append("</h1>\n");
        if (!results.isEmpty()) resultsTable(h);
        if (!config.isEmpty()) keyValueTable(h, "Configuration", config);
        if (history != null && !history.epochs().isEmpty()) curves(h);
        if (confusion != null) {
            confusionTable(h);
            perClass(h);
        }
        if (!samples.isEmpty()) sampleGrid(h);
        if (!timing.isEmpty()) keyValueTable(h, "Timing", timing);
        h.append("<footer>Written by Ember.</footer>\n</body></html>\n");
        return h.toString();
    }

    // ------------------------------------------------------------------ sections

    private void resultsTable(StringBuilder h) {
        List<String> names = new ArrayList<>();
        for (Logs l : results.values()) for (String k : l.asMap().keySet()) if (!names.contains(k)) names.add(k);
        h.append("<section id=\"results\"><h2>Results</h2><table class=\"grid\"><tr><th></th>");
        for (String n : names) h.append("<th>").append(esc(n)).append("</th>");
        h.append("</tr>\n");
        results.forEach((split, logs) -> {
            h.append("<tr><th>").append(esc(split)).append("</th>");
            for (String n : names) h.append("<td>").append(logs.has(n) ? fmt(logs.get(n)) : "").append("</td>");
            h.append("</tr>\n");
        });
        h.append("</table></section>\n");
    }

    private static void keyValueTable(StringBuilder h, String heading, Map<String, String> kv) {
        h.append("<section><h2>").append(esc(heading)).append("</h2><table class=\"kv\">\n");
        kv.forEach((k, v) -> h.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>\n"));
        h.append("</table></section>\n");
    }

    private void curves(StringBuilder h) {
        h.append("<section id=\"curves\"><h2>Training curves</h2><div class=\"charts\">\n");
        Map<String, Double> first = history.epochs().getFirst().asMap();
        for (String metric : first.keySet()) {
            if (metric.startsWith("val_")) continue;
            Map<String, double[]> series = new LinkedHashMap<>();
            series.put("train", history.series(metric));
            if (first.containsKey("val_" + metric)) series.put("validation", history.series("val_" + metric));
            h.append(Svg.lineChart(metric, series));
        }
        h.append("</div></section>\n");
    }

    private String className(int c) {
        return c < classes.size() ? classes.get(c) : Integer.toString(c);
    }

    private void confusionTable(StringBuilder h) {
        long[][] m = confusion.matrix();
        int k = m.length;
        long max = 1;
        for (long[] row : m) for (long v : row) max = Math.max(max, v);
        h.append("<section id=\"confusion\"><h2>Confusion matrix (test)</h2>")
                .append("<p class=\"note\">Rows: true class. Columns: predicted class.</p><table class=\"cm\"><tr><th></th>");
        for (int c = 0; c < k; c++) h.append("<th class=\"rot\"><span>").append(esc(className(c))).append("</span></th>");
        h.append("</tr>\n");
        for (int r = 0; r < k; r++) {
            h.append("<tr><th>").append(esc(className(r))).append("</th>");
            for (int c = 0; c < k; c++) {
                double f = (double) m[r][c] / max;
                String bg = r == c ? heat(f, 46, 125, 50) : heat(f, 198, 40, 40);
                String fg = f > 0.55 ? "#fff" : "#222";
                h.append("<td style=\"background:").append(bg).append(";color:").append(fg).append("\">").append(m[r][c]).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table></section>\n");
    }

    private void perClass(StringBuilder h) {
        long[][] m = confusion.matrix();
        Map<String, Double> acc = new LinkedHashMap<>();
        for (int c = 0; c < m.length; c++) {
            long total = 0;
            for (long v : m[c]) total += v;
            acc.put(className(c), total == 0 ? Double.NaN : (double) m[c][c] / total);
        }
        h.append("<section id=\"per-class\"><h2>Per-class accuracy (test)</h2>\n").append(Svg.barChart(acc)).append("</section>\n");
    }

    private void sampleGrid(StringBuilder h) {
        h.append("<section id=\"samples\"><h2>Test images: predicted (true)</h2><div class=\"samples\">\n");
        for (Sample s : samples) {
            PngImage png = PngImage.of(s.image(), "HtmlReport sample");
            boolean ok = s.trueLabel() == s.predicted();
            h.append("<figure class=\"").append(ok ? "ok" : "bad").append("\"><img alt=\"test image\" width=\"")
                    .append(Math.max(56, png.width() * 2)).append("\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(png.png())).append("\"><figcaption>")
                    .append(esc(className(s.predicted()))).append(String.format(Locale.ROOT, " %.0f%%", 100 * s.probability()));
            if (!ok) h.append("<br><span class=\"truth\">(").append(esc(className(s.trueLabel()))).append(")</span>");
            h.append("</figcaption></figure>\n");
        }
        h.append("</div></section>\n");
    }

    // ------------------------------------------------------------------ helpers

    /** White blended toward (r, g, b) by f in [0, 1]. */
    private static String heat(double f, int r, int g, int b) {
        f = Math.max(0, Math.min(1, f));
        if (f > 0) f = 0.08 + 0.92 * f;
        return String.format(Locale.ROOT, "rgb(%d,%d,%d)", (int) (255 + (r - 255) * f), (int) (255 + (g - 255) * f), (int) (255 + (b - 255) * f));
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) return "n/a";
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.1f" : "%.4f", v);
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static final String CSS = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:1100px;color:#222;padding:0 16px}
            h1{font-size:1.6em;margin-bottom:4px}h2{font-size:1.15em;margin-top:28px;border-bottom:1px solid #ddd;padding-bottom:4px}
            table{border-collapse:collapse}th,td{padding:4px 10px;text-align:right}th{font-weight:600}
            table.grid td,table.grid th{border:1px solid #ddd}table.kv th{text-align:left;color:#555}table.kv td{text-align:left}
            table.cm td{min-width:38px;text-align:center;font-variant-numeric:tabular-nums;border:1px solid #eee}
            table.cm th.rot{height:90px;vertical-align:bottom;padding:0}table.cm th.rot span{writing-mode:vertical-rl;transform:rotate(180deg);padding:4px}
            .charts{display:flex;flex-wrap:wrap;gap:16px}.note{color:#666;font-size:.9em}
            .samples{display:flex;flex-wrap:wrap;gap:10px}figure{margin:0;padding:4px;border:2px solid #2e7d32;border-radius:4px;text-align:center;font-size:.8em;width:96px}
            figure.bad{border-color:#c62828}figure img{image-rendering:pixelated;display:block;margin:0 auto}.truth{color:#c62828}
            footer{margin-top:32px;color:#888;font-size:.85em}
            """;
}
