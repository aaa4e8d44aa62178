package dev.ember.data.transforms;

import dev.ember.data.Image;
import dev.ember.data.Transform;
import dev.ember.tensor.Generator;

/**
 * Random brightness, contrast, saturation and hue changes applied in a random order (torchvision's
 * {@code ColorJitter}). Each factor is drawn uniformly: brightness, contrast and saturation from
 * {@code [max(0, 1 - v), 1 + v]}, the hue shift from {@code [-hue, hue]} (fractions of a full turn,
 * at most 0.5). A value of 0 disables that change. The work is done in float and rounded once at the end.
 *
 * <ul>
 * <li>brightness f: {@code x * f}</li>
 * <li>contrast f: {@code f * x + (1 - f) * mean(gray)}</li>
 * <li>saturation f: {@code f * x + (1 - f) * gray(pixel)} (RGB only)</li>
 * <li>hue h: rotate the HSV hue by h (RGB only)</li>
 * </ul>
 *
 * @param brightness brightness jitter (>= 0)
 * @param contrast contrast jitter (>= 0)
 * @param saturation saturation jitter (>= 0)
 * @param hue hue jitter in [0, 0.5]
 */
public record ColorJitter(double brightness, double contrast, double saturation, double hue) implements Transform<Image, Image> {
    public ColorJitter {
        if (!(brightness >= 0 && contrast >= 0 && saturation >= 0)) {
            throw new IllegalArgumentException("ColorJitter: brightness, contrast and saturation must be >= 0, got "
                    + brightness + ", " + contrast + ", " + saturation);
        }
        if (!(hue >= 0 && hue <= 0.5)) throw new IllegalArgumentException("ColorJitter: hue must be in [0, 0.5], got " + hue);
    }

    @Override
    public Image apply(Image img, Generator rng) {
        int[] order = {0, 1, 2, 3};
        for (int i = 3; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        double b = factor(brightness, rng), c = factor(contrast, rng), s = factor(saturation, rng);
        double h = hue > 0 ? -hue + 2 * hue * rng.nextDouble() : 0;
        byte[] px = img.pixels();
        float[] v = new float[px.length];
        for (int i = 0; i < px.length; i++) v[i] = px[i] & 0xff;
        int ch = img.channels();
        for (int op : order) {
            switch (op) {
                case 0 -> { if (brightness > 0) blend(v, (float) b, 0f); }
                case 1 -> { if (contrast > 0) blend(v, (float) c, meanGray(v, ch)); }
                case 2 -> { if (saturation > 0 && ch == 3) saturate(v, (float) s); }
                default -> { if (hue > 0 && ch == 3) shiftHue(v, (float) h); }
            }
        }
        byte[] out = new byte[px.length];
        for (int i = 0; i < out.length; i++) out[i] = (byte) Math.round(v[i]);
        return new Image(img.height(), img.width(), ch, out);
    }

    private static double factor(double jitter, Generator rng) {
        if (jitter <= 0) return 1;
        double lo = Math.max(0, 1 - jitter), hi = 1 + jitter;
        return lo + (hi - lo) * rng.nextDouble();
    }

    /** v = clamp(f * v + (1 - f) * other, 0, 255). */
    private static void blend(float[] v, float f, float other) {
        float g = (1 - f) * other;
        for (int i = 0; i < v.length; i++) v[i] = clamp(f * v[i] + g);
    }

    private static float gray(float r, float g, float b) {
        return 0.299f * r + 0.587f * g + 0.114f * b;
    }

    private static float meanGray(float[] v, int ch) {
        double sum = 0;
        int n = v.length / ch;
        for (int p = 0; p < n; p++) sum += ch == 3 ? gray(v[3 * p], v[3 * p + 1], v[3 * p + 2]) : v[p];
        return (float) (sum / n);
    }

    private static void saturate(float[] v, float f) {
        for (int p = 0; p < v.length; p += 3) {
            float l = (1 - f) * gray(v[p], v[p + 1], v[p + 2]);
            v[p] = clamp(f * v[p] + l);
            v[p + 1] = clamp(f * v[p + 1] + l);
            v[p + 2] = clamp(f * v[p + 2] + l);
        }
    }

    private static void shiftHue(float[] v, float shift) {
        for (int p = 0; p < v.length; p += 3) {
            float r = v[p] / 255f, g = v[p + 1] / 255f, b = v[p + 2] / 255f;
            float max = Math.max(r, Math.max(g, b)), min = Math.min(r, Math.min(g, b)), d = max - min;
            float hh;
            if (d == 0) hh = 0;
            else if (max == r) hh = ((g - b) / d) / 6f;
            else if (max == g) hh = ((b - r) / d + 2) / 6f;
            else hh = ((r - g) / d + 4) / 6f;
            hh = hh + shift;
            hh -= (float) Math.floor(hh);
            float s = max == 0 ? 0 : d / max;
            // HSV back to RGB.
            float h6 = hh * 6f;
            int sector = (int) h6 % 6;
            float f = h6 - (float) Math.floor(h6);
            float pv = max * (1 - s), q = max * (1 - s * f), t = max * (1 - s * (1 - f));
            float nr, ng, nb;
            switch (sector) {
                case 0 -> { nr = max; ng = t; nb = pv; }
                case 1 -> { nr = q; ng = max; nb = pv; }
                case 2 -> { nr = pv; ng = max; nb = t; }
                case 3 -> { nr = pv; ng = q; nb = max; }
                case 4 -> { nr = t; ng = pv; nb = max; }
                default -> { nr = max; ng = pv; nb = q; }
            }
            v[p] = clamp(nr * 255f);
            v[p + 1] = clamp(ng * 255f);
            v[p + 2] = clamp(nb * 255f);
        }
    }

    private static float clamp(float x) {
        return x < 0 ? 0 : Math.min(x, 255f);
    }
}
