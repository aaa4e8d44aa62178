package dev.ember.data;

import java.awt.image.BufferedImage;

/**
 * An 8-bit image in HWC layout (rows, then columns, then interleaved channels), the form images have
 * before {@code ToTensor} turns them into CHW floats. Geometric and colour augmentations work on it
 * (as torchvision's work on PIL images).
 *
 * <p>{@code pixels[(y * width + x) * channels + c]} holds channel {@code c} of pixel (x, y) as an unsigned
 * byte (read it with {@code & 0xff}). Images are treated as immutable: transforms return new images.
 *
 * @param height rows
 * @param width columns
 * @param channels 1 (gray) or 3 (RGB)
 * @param pixels {@code height * width * channels} bytes
 */
public record Image(int height, int width, int channels, byte[] pixels) {
    public Image {
        if (height < 1 || width < 1 || channels < 1) {
            throw new IllegalArgumentException("Image: height, width and channels must be >= 1, got " + height + "x" + width + "x" + channels);
        }
        if (pixels.length != height * width * channels) {
            throw new IllegalArgumentException("Image: " + height + "x" + width + "x" + channels + " needs "
                    + (height * width * channels) + " bytes, got " + pixels.length);
        }
    }

    /** A black image. */
    public static Image blank(int height, int width, int channels) {
        return new Image(height, width, channels, new byte[height * width * channels]);
    }

    /** Channel {@code c} of pixel (x, y), 0..255. */
    public int at(int y, int x, int c) {
        return pixels[(y * width + x) * channels + c] & 0xff;
    }

    /** Converts an AWT image to 1 (luma, ITU-R 601) or 3 (RGB) channels; alpha is dropped. */
    public static Image fromBufferedImage(BufferedImage img, int channels) {
        if (channels != 1 && channels != 3) throw new IllegalArgumentException("Image.fromBufferedImage: channels must be 1 or 3, got " + channels);
        int h = img.getHeight(), w = img.getWidth();
        if (img.getRaster().getNumBands() == 1 && img.getColorModel().getPixelSize() == 8) {
            // 8-bit gray: read the samples as stored; getRGB would pass them through a colour-space conversion.
            int[] gray = img.getRaster().getPixels(0, 0, w, h, (int[]) null);
            byte[] px = new byte[h * w * channels];
            for (int i = 0; i < gray.length; i++) {
                for (int c = 0; c < channels; c++) px[i * channels + c] = (byte) gray[i];
            }
            return new Image(h, w, channels, px);
        }
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        byte[] px = new byte[h * w * channels];
        for (int i = 0; i < argb.length; i++) {
            int r = (argb[i] >> 16) & 0xff, g = (argb[i] >> 8) & 0xff, b = argb[i] & 0xff;
            if (channels == 3) {
                px[3 * i] = (byte) r;
                px[3 * i + 1] = (byte) g;
                px[3 * i + 2] = (byte) b;
            } else {
                // PIL's convert("L"): L = R * 299/1000 + G * 587/1000 + B * 114/1000, rounded.
                px[i] = (byte) ((r * 299 + g * 587 + b * 114 + 500) / 1000);
            }
        }
        return new Image(h, w, channels, px);
    }

    /** This image as an AWT image (gray or RGB), e.g. to save with {@code ImageIO.write}. */
    public BufferedImage toBufferedImage() {
        BufferedImage out = new BufferedImage(width, height, channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = at(y, x, 0), g = channels >= 3 ? at(y, x, 1) : r, b = channels >= 3 ? at(y, x, 2) : r;
                if (channels == 1) out.getRaster().setSample(x, y, 0, r);
                else out.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Image i && i.height == height && i.width == width && i.channels == channels
                && java.util.Arrays.equals(i.pixels, pixels);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(pixels) * 31 + height * 7 + width * 3 + channels;
    }

    @Override
    public String toString() {
        return "Image(" + height + "x" + width + "x" + channels + ")";
    }
}
