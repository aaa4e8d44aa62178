package dev.ember.train.tensorboard;

import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A tensor encoded as PNG for {@code Summary.Image}.
 *
 * <p>Accepted layouts: {@code [C, H, W]} with C = 1 (grey), 3 (RGB) or 4 (RGBA), or {@code [H, W]}
 * (grey). Floating values are taken as intensities in [0, 1], scaled by 255, rounded and clamped (NaN
 * gives 0); integer values must already lie in 0..255 (uint8 pixels); BOOL gives 0 or 255.
 *
 * @param height     rows
 * @param width      columns
 * @param colorspace 1 grey, 3 RGB, 4 RGBA (the channel count, as TensorBoard defines it)
 * @param png        the encoded file
 */
public record PngImage(int height, int width, int colorspace, byte[] png) {

    /** Encodes {@code image}; {@code what} names it in error messages. */
    public static PngImage of(Tensor image, String what) {
        int rank = image.rank();
        int channels = rank == 2 ? 1 : rank == 3 ? image.size(0) : -1;
        if (channels != 1 && channels != 3 && channels != 4) {
            throw new IllegalArgumentException(what + ": expected an image of shape [C, H, W] with C = 1, 3 or 4, or [H, W]; got "
                    + image.shape() + " (" + image.dtype().pyName() + ")");
        }
        int h = image.size(rank - 2);
        int w = image.size(rank - 1);
        if (h == 0 || w == 0) throw new IllegalArgumentException(what + ": image " + image.shape() + " has no pixels");
        int[] chw = pixels(image, what);
        int[] hwc = new int[chw.length]; // the raster wants interleaved samples
        int plane = h * w;
        for (int c = 0; c < channels; c++) {
            for (int p = 0; p < plane; p++) hwc[p * channels + c] = chw[c * plane + p];
        }
        int type = switch (channels) {
            case 1 -> BufferedImage.TYPE_BYTE_GRAY;
            case 3 -> BufferedImage.TYPE_3BYTE_BGR;  // raster bands are still R, G, B
            default -> BufferedImage.TYPE_4BYTE_ABGR; // raster bands R, G, B, A
        };
        BufferedImage img = new BufferedImage(w, h, type);
        img.getRaster().setPixels(0, 0, w, h, hwc);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, "png", out)) throw new IllegalStateException("no PNG writer in this JDK");
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory does not fail
        }
        return new PngImage(h, w, channels, out.toByteArray());
    }

    /** The pixel values 0..255 in the tensor's row-major order. */
    private static int[] pixels(Tensor image, String what) {
        if (image.dtype().isFloating()) {
            double[] v = image.toDoubleArray();
            int[] out = new int[v.length];
            for (int i = 0; i < v.length; i++) {
                double x = Math.rint(v[i] * 255.0);
                out[i] = x > 255 ? 255 : x >= 0 ? (int) x : 0; // NaN fails both tests and gives 0
            }
            return out;
        }
        long[] v = image.toLongArray();
        int[] out = new int[v.length];
        boolean bool = image.dtype() == DType.BOOL;
        for (int i = 0; i < v.length; i++) {
            if (v[i] < 0 || v[i] > 255) {
                throw new IllegalArgumentException(what + ": integer pixel values must lie in 0..255, got " + v[i]
                        + " (pass a floating tensor in [0, 1] to have it scaled)");
            }
            out[i] = bool ? (int) v[i] * 255 : (int) v[i];
        }
        return out;
    }

    /** The {@code Summary.Image} message. */
    ProtoWriter encode() {
        return new ProtoWriter().varint(1, height).varint(2, width).varint(3, colorspace).bytes(4, png);
    }
}
