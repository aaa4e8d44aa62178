package dev.ember.data.datasets;

import dev.ember.data.Batch;
import dev.ember.data.DataLoader;
import dev.ember.data.Image;
import dev.ember.data.transforms.Compose;
import dev.ember.data.transforms.Resize;
import dev.ember.data.transforms.ToTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageFolderTest {
    @TempDir
    Path tmp;

    private static Image solid(int h, int w, int r, int g, int b) {
        byte[] px = new byte[h * w * 3];
        for (int i = 0; i < h * w; i++) {
            px[3 * i] = (byte) r;
            px[3 * i + 1] = (byte) g;
            px[3 * i + 2] = (byte) b;
        }
        return new Image(h, w, 3, px);
    }

    private void write(String rel, Image img, String format) throws Exception {
        Path p = tmp.resolve(rel);
        Files.createDirectories(p.getParent());
        ImageIO.write(img.toBufferedImage(), format, p.toFile());
    }

    @Test
    void classesAreSortedSubfoldersAndPngsDecodeExactly() throws Exception {
        write("zebra/a.png", solid(4, 6, 10, 20, 30), "png");
        write("ant/one.png", solid(4, 6, 200, 100, 0), "png");
        write("ant/nested/two.png", solid(5, 5, 1, 2, 3), "png");
        Files.writeString(tmp.resolve("ant/notes.txt"), "not an image");
        ImageFolder ds = ImageFolder.of(tmp, 3);
        assertEquals(List.of("ant", "zebra"), ds.classes());
        assertEquals(3, ds.size());
        assertEquals(0, ds.label(0));
        assertEquals(2, ds.size() - 1);
        assertEquals(1, ds.label(2));
        Image zebra = ds.image(2);
        assertEquals(10, zebra.at(0, 0, 0));
        assertEquals(30, zebra.at(3, 5, 2));
        var x = ds.get(2).x();
        assertEquals(List.of(3, 4, 6), List.of(x.size(0), x.size(1), x.size(2)));
        assertEquals(20 / 255f, (float) x.get(1, 0, 0));
        Image gray = ImageFolder.of(tmp, 1).image(2);
        assertEquals((10 * 299 + 20 * 587 + 30 * 114 + 500) / 1000, gray.at(0, 0, 0));
    }

    @Test
    void grayPngsKeepTheirExactValues() throws Exception {
        byte[] px = new byte[4 * 4];
        for (int i = 0; i < px.length; i++) px[i] = (byte) (i * 16 + 3);
        write("digit/g.png", new Image(4, 4, 1, px), "png");
        ImageFolder ds = ImageFolder.of(tmp, 1);
        org.junit.jupiter.api.Assertions.assertArrayEquals(px, ds.image(0).pixels());
        Image rgb = ImageFolder.of(tmp, 3).image(0);
        assertEquals(px[5] & 0xff, rgb.at(1, 1, 2));
    }

    @Test
    void jpegsLoadAndMixedSizesBatchAfterResize() throws Exception {
        write("cat/1.jpg", solid(16, 16, 128, 128, 128), "jpg");
        write("dog/1.png", solid(10, 12, 0, 255, 0), "png");
        ImageFolder ds = ImageFolder.of(tmp, 3);
        Image jpeg = ds.image(0);
        assertTrue(Math.abs(jpeg.at(8, 8, 1) - 128) <= 3, "JPEG is lossy but close: " + jpeg.at(8, 8, 1));
        var e = assertThrows(RuntimeException.class, () -> DataLoader.builder(ds).batchSize(2).build().iterator().next());
        assertTrue(e.getMessage().contains("Resize"), "hints at resizing: " + e.getMessage());
        Batch b = DataLoader.builder(ds.transform(Compose.of(new Resize(8, 8), new ToTensor()))).batchSize(2).workers(2).build().iterator().next();
        assertEquals(List.of(2, 3, 8, 8), List.of(b.x().size(0), b.x().size(1), b.x().size(2), b.x().size(3)));
    }

    @Test
    void unreadableImagesAndEmptyFoldersAreClearErrors() throws Exception {
        Files.createDirectories(tmp.resolve("broken"));
        Files.write(tmp.resolve("broken/x.png"), new byte[] {1, 2, 3});
        ImageFolder ds = ImageFolder.of(tmp, 3);
        var e = assertThrows(UncheckedIOException.class, () -> ds.get(0));
        assertTrue(e.getMessage().contains("x.png"), e.getMessage());
        Path empty = tmp.resolve("empty");
        Files.createDirectories(empty.resolve("cls"));
        var e2 = assertThrows(UncheckedIOException.class, () -> ImageFolder.of(empty, 3));
        assertTrue(e2.getMessage().contains("no images"), e2.getMessage());
    }
}
