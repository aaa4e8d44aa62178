package dev.ember.data.transforms;

import dev.ember.data.Image;
import dev.ember.data.Transform;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransformsTest {
    /** A height x width image whose pixel (y, x, c) is (y * 16 + x * 3 + c * 50) mod 256. */
    static Image ramp(int h, int w, int c) {
        byte[] px = new byte[h * w * c];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) for (int k = 0; k < c; k++) px[(y * w + x) * c + k] = (byte) (y * 16 + x * 3 + k * 50);
        return new Image(h, w, c, px);
    }

    private static final Generator RNG = new Generator(1);

    @Test
    void toTensorMakesChwFloatsInZeroOne() {
        Image img = ramp(2, 3, 3);
        Tensor t = new ToTensor().apply(img, RNG);
        assertEquals(java.util.List.of(3, 2, 3), java.util.List.of(t.size(0), t.size(1), t.size(2)));
        for (int c = 0; c < 3; c++) for (int y = 0; y < 2; y++) for (int x = 0; x < 3; x++) {
            assertEquals(img.at(y, x, c) / 255f, (float) t.get(c, y, x));
        }
    }

    @Test
    void normalizeIsPerChannelAndMatchesTheTensorOpPath() {
        Tensor t = new ToTensor().apply(ramp(4, 4, 3), RNG);
        Normalize n = Normalize.of(new double[] {0.5, 0.4, 0.3}, new double[] {0.2, 0.25, 0.5});
        Tensor fast = n.apply(t, RNG);
        Tensor viaOps = n.apply(t.transpose(1, 2).transpose(1, 2).add(0.0).permute(0, 2, 1).permute(0, 2, 1), RNG); // strided input: op path
        float[] a = fast.toFloatArray(), b = viaOps.toFloatArray(), in = t.toFloatArray();
        for (int i = 0; i < a.length; i++) {
            int c = i / 16;
            assertEquals(n.apply(in[i], c), a[i]);
            assertEquals(a[i], b[i], 1e-6f);
        }
        assertThrows(IllegalArgumentException.class, () -> Normalize.of(0, 0));
        assertThrows(IllegalArgumentException.class, () -> Normalize.of(new double[] {1, 2}, new double[] {1, 1}).apply(t, RNG));
    }

    @Test
    void randomCropWithPaddingStaysInsideThePaddedImage() {
        Image img = ramp(8, 8, 3);
        RandomCrop crop = new RandomCrop(8, 2);
        Generator g = new Generator(5);
        boolean sawPadding = false, sawOriginal = false;
        for (int trial = 0; trial < 200; trial++) {
            Image out = crop.apply(img, g);
            assertEquals(8, out.height());
            // Every output pixel is either padding (0) or the source pixel at a common shift.
            int shiftY = Integer.MIN_VALUE, shiftX = Integer.MIN_VALUE;
            for (int dy = -2; dy <= 2 && shiftY == Integer.MIN_VALUE; dy++) {
                for (int dx = -2; dx <= 2; dx++) {
                    if (matchesShift(img, out, dy, dx)) {
                        shiftY = dy;
                        shiftX = dx;
                        break;
                    }
                }
            }
            assertNotEquals(Integer.MIN_VALUE, shiftY, "crop " + trial + " is no shifted window of the padded image");
            if (shiftY == 0 && shiftX == 0) sawOriginal = true;
            else sawPadding = true;
        }
        assertTrue(sawPadding && sawOriginal);
        Image same = new RandomCrop(8, 0).apply(img, g);
        assertEquals(img, same);
    }

    private static boolean matchesShift(Image src, Image out, int dy, int dx) {
        for (int y = 0; y < out.height(); y++) for (int x = 0; x < out.width(); x++) for (int c = 0; c < 3; c++) {
            int sy = y + dy, sx = x + dx;
            int expected = sy < 0 || sx < 0 || sy >= src.height() || sx >= src.width() ? 0 : src.at(sy, sx, c);
            if (out.at(y, x, c) != expected) return false;
        }
        return true;
    }

    @Test
    void horizontalFlipMirrorsAndIsSeeded() {
        Image img = ramp(3, 5, 3);
        Image flipped = new RandomHorizontalFlip(1).apply(img, RNG);
        for (int y = 0; y < 3; y++) for (int x = 0; x < 5; x++) assertEquals(img.at(y, 4 - x, 1), flipped.at(y, x, 1));
        assertSame(img, new RandomHorizontalFlip(0).apply(img, RNG));
        int flips = 0;
        Generator g = new Generator(9);
        for (int i = 0; i < 1000; i++) if (new RandomHorizontalFlip().apply(img, g) != img) flips++;
        assertTrue(flips > 430 && flips < 570, "about half: " + flips);
    }

    @Test
    void resizeIsBilinearWithHalfPixelCentres() {
        // 2x2 -> 4x4 upscale of a gradient: output (y, x) samples source at ((y + 0.5) / 2 - 0.5), clamped.
        Image img = new Image(2, 2, 1, new byte[] {0, (byte) 100, (byte) 200, (byte) 255});
        Image up = new Resize(4, 4).apply(img, RNG);
        assertEquals(0, up.at(0, 0, 0));
        assertEquals(25, up.at(0, 1, 0));      // x: 0.25 between 0 and 100
        assertEquals(75, up.at(0, 2, 0));
        assertEquals(100, up.at(0, 3, 0));
        assertEquals(255, up.at(3, 3, 0));
        Image shorter = Resize.shorterSide(4).apply(ramp(8, 16, 3), RNG);
        assertEquals(4, shorter.height());
        assertEquals(8, shorter.width());
        Image constant = new Resize(5, 7).apply(new Image(3, 3, 1, new byte[] {9, 9, 9, 9, 9, 9, 9, 9, 9}), RNG);
        for (byte b : constant.pixels()) assertEquals(9, b);
    }

    @Test
    void centerCropTakesTheMiddleAndPadsSmallImages() {
        Image img = ramp(6, 6, 1);
        Image c = new CenterCrop(2).apply(img, RNG);
        assertEquals(img.at(2, 2, 0), c.at(0, 0, 0));
        assertEquals(img.at(3, 3, 0), c.at(1, 1, 0));
        Image padded = new CenterCrop(8).apply(img, RNG);
        assertEquals(0, padded.at(0, 0, 0));
        assertEquals(img.at(0, 0, 0), padded.at(1, 1, 0));
    }

    @Test
    void randomResizedCropGivesTheRequestedSizeAndVaries() {
        Image img = ramp(20, 30, 3);
        RandomResizedCrop t = new RandomResizedCrop(12);
        Generator g = new Generator(2);
        Image a = t.apply(img, g), b = t.apply(img, g);
        assertEquals(12, a.height());
        assertEquals(12, a.width());
        assertNotEquals(a, b);
        assertEquals(a, t.apply(img, new Generator(2)), "the same seed gives the same crop");
        // Full-scale, ratio-1 crop of a square image is the whole image resized.
        Image sq = ramp(10, 10, 1);
        Image whole = new RandomResizedCrop(10, 10, 1, 1, 1, 1).apply(sq, g);
        assertEquals(sq, whole);
    }

    @Test
    void colorJitterZeroIsIdentityAndJitterStaysInRange() {
        Image img = ramp(5, 5, 3);
        assertEquals(img, new ColorJitter(0, 0, 0, 0).apply(img, RNG));
        Image dark = new ColorJitter(0.5, 0, 0, 0).apply(img, new Generator(3));
        assertNotEquals(img, dark);
        // Brightness only scales: pixel ratios are the factor (up to rounding).
        double f = -1;
        for (int i = 0; i < img.pixels().length; i++) {
            int v = img.pixels()[i] & 0xff, w = dark.pixels()[i] & 0xff;
            if (v > 100 && w < 255) {
                f = (double) w / v;
                break;
            }
        }
        assertTrue(f >= 0.49 && f <= 1.51, "brightness factor " + f);
        Image all = new ColorJitter(0.4, 0.4, 0.4, 0.1).apply(img, new Generator(4));
        assertEquals(img.pixels().length, all.pixels().length);
        Image grayHue = new ColorJitter(0, 0, 0, 0.5).apply(ramp(4, 4, 1), RNG);
        assertEquals(ramp(4, 4, 1), grayHue, "hue does not apply to gray images");
    }

    @Test
    void hueShiftKeepsValueAndSaturation() {
        Image img = ramp(6, 6, 3);
        Image out = new ColorJitter(0, 0, 0, 0.5).apply(img, new Generator(8));
        assertNotEquals(img, out);
        for (int p = 0; p < 36; p++) {
            int y = p / 6, x = p % 6;
            int[] a = {img.at(y, x, 0), img.at(y, x, 1), img.at(y, x, 2)}, b = {out.at(y, x, 0), out.at(y, x, 1), out.at(y, x, 2)};
            java.util.Arrays.sort(a);
            java.util.Arrays.sort(b);
            assertTrue(Math.abs(a[2] - b[2]) <= 1 && Math.abs(a[0] - b[0]) <= 1, "HSV value and chroma kept at pixel " + p);
        }
    }

    @Test
    void randomErasingFillsOneRectangle() {
        Tensor x = Tensor.ones(3, 16, 16);
        Tensor out = new RandomErasing(1, 0.1, 0.2, 0.5, 2, 0).apply(x, new Generator(6));
        float[] v = out.toFloatArray();
        int zeros = 0;
        for (float f : v) if (f == 0) zeros++;
        assertTrue(zeros % 3 == 0 && zeros / 3 >= 0.1 * 256 * 0.7 && zeros / 3 <= 0.2 * 256 * 1.3, "erased " + zeros / 3);
        assertArrayEquals(Tensor.ones(3, 16, 16).toFloatArray(), x.toFloatArray(), "the input is not modified");
        assertSame(x, new RandomErasing(0, 0.1, 0.2, 0.5, 2, 0).apply(x, RNG));
    }

    @Test
    void composeChainsAndExplainsTypeMistakes() {
        Transform<Image, Tensor> t = Compose.of(new CenterCrop(4), new ToTensor(), Normalize.of(0.5, 0.5));
        Tensor out = t.apply(ramp(6, 6, 1), RNG);
        assertEquals(4, out.size(1));
        Transform<Image, Tensor> wrong = Compose.of(new ToTensor(), new CenterCrop(2));
        var e = assertThrows(IllegalArgumentException.class, () -> wrong.apply(ramp(4, 4, 1), RNG));
        assertTrue(e.getMessage().contains("step 1"), e.getMessage());
        Transform<Tensor, Tensor> lambda = new Lambda<>(x -> x.mul(2));
        assertEquals(4.0, lambda.apply(Tensor.full(2, 1), RNG).get(0));
    }

    @Test
    void pixelTableRecognisesToTensorAndNormalizeOnly() {
        float[][] table = PixelTable.of(new ToTensor().andThen(Normalize.of(0.5, 0.25)), 3);
        assertEquals(3, table.length);
        assertEquals((1f - 0.5f) / 0.25f, table[2][255]);
        assertEquals((ToTensor.value(7) - 0.5f) / 0.25f, table[0][7]);
        assertNull(PixelTable.of(Compose.of(new RandomHorizontalFlip(), new ToTensor()), 1));
        assertNull(PixelTable.of(Compose.of(new ToTensor(), new RandomErasing()), 1));
    }
}
