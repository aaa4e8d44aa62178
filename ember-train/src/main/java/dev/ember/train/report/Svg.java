package dev.ember.train.report;

import java.util.Locale;
import java.util.Map;

/** Small inline SVG charts for {@link HtmlReport}: no scripts, axes with a few labelled ticks. */
final class Svg {
    private static final String[] COLORS = {"#1565c0", "#ef6c00", "#2e7d32", "#6a1b9a"};
    private static final int W = 500, H = 280, LEFT = 56, RIGHT = 16, TOP = 28, BOTTOM = 40;

    private Svg() {}

    /** One line per series over epochs 1..n, with a legend; non-finite points are skipped. */
    static String lineChart(String title, Map<String, double[]> series) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        int n = 0;
        for (double[] s : series.values()) {
            n = Math.max(n, s.length);
            for (double v : s) if (Double.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        }
        if (!(lo <= hi)) { lo = 0; hi = 1; }
        if (hi - lo < 1e-12) { lo -= 0.5; hi += 0.5; }
        double pad = (hi - lo) * 0.05;
        lo -= pad;
        hi += pad;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg class=\"chart\" role=\"img\" aria-label=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">",
                HtmlReport.esc(title), W, H, W, H));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"14\" font-weight=\"600\">%s</text>", LEFT, HtmlReport.esc(title)));
        double plotW = W - LEFT - RIGHT, plotH = H - TOP - BOTTOM;
        for (int t = 0; t <= 4; t++) {
            double v = lo + (hi - lo) * t / 4;
            double y = TOP + plotH - plotH * t / 4;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e5e5e5\"/>", LEFT, W - RIGHT, y, y));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\" fill=\"#555\">%s</text>", LEFT - 6, y + 4, tick(v)));
        }
        int xticks = Math.min(n, 10);
        for (int t = 0; t < xticks; t++) {
            int e = n == 1 ? 1 : 1 + (int) Math.round((double) t * (n - 1) / Math.max(1, xticks - 1));
            double x = xAt(e, n, plotW);
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" fill=\"#555\">%d</text>", x, H - BOTTOM + 16, e));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" fill=\"#555\">epoch</text>", LEFT + plotW / 2, H - 6));
        int k = 0;
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            String color = COLORS[k % COLORS.length];
            double[] v = e.getValue();
            StringBuilder pts = new StringBuilder();
            for (int i = 0; i < v.length; i++) {
                if (!Double.isFinite(v[i])) continue;
                double x = xAt(i + 1, n, plotW);
                double y = TOP + plotH - plotH * (v[i] - lo) / (hi - lo);
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>%s epoch %d: %s</title></circle>",
                        x, y, color, HtmlReport.esc(e.getKey()), i + 1, HtmlReport.fmt(v[i])));
            }
            s.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(color).append("\" points=\"").append(pts.toString().trim()).append("\"/>");
            int ly = TOP + 4 + 16 * k;
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"3\" fill=\"%s\"/><text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>",
                    W - RIGHT - 100, ly, color, W - RIGHT - 84, ly + 5, HtmlReport.esc(e.getKey())));
            k++;
        }
        return s.append("</svg>\n").toString();
    }

    /** Horizontal bars for values in [0, 1], labelled with percentages. */
    static String barChart(Map<String, Double> values) {
        int rowH = 22, labelW = 130, barW = 300;
        int h = rowH * values.size() + 8;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg class=\"bars\" role=\"img\" aria-label=\"per-class accuracy\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">",
                labelW + barW + 70, h, labelW + barW + 70, h));
        int i = 0;
        for (Map.Entry<String, Double> e : values.entrySet()) {
            double v = e.getValue();
            int y = 4 + i * rowH;
            double w = Double.isFinite(v) ? barW * Math.max(0, Math.min(1, v)) : 0;
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"end\">%s</text>", labelW - 8, y + 14, HtmlReport.esc(e.getKey())));
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"16\" fill=\"#eee\"/>", labelW, y + 2, barW));
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"16\" fill=\"#1565c0\"/>", labelW, y + 2, w));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\">%s</text>", labelW + barW + 6, y + 14,
                    Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f%%", 100 * v) : "n/a"));
            i++;
        }
        return s.append("</svg>\n").toString();
    }

    private static double xAt(int epoch, int n, double plotW) {
        return n <= 1 ? LEFT + plotW / 2 : LEFT + plotW * (epoch - 1) / (n - 1);
    }

    private static String tick(double v) {
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e5)) return String.format(Locale.ROOT, "%.1e", v);
        return String.format(Locale.ROOT, a >= 10 ? "%.1f" : "%.3f", v);
    }
}
