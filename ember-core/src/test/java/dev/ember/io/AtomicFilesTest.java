package dev.ember.io;

import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void replacesTheTargetAndLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("a.txt");
        AtomicFiles.writeString(target, "first");
        AtomicFiles.writeString(target, "second, longer");
        assertEquals("second, longer", Files.readString(target));
        assertEquals(List.of("a.txt"), names());
    }

    @Test
    void theFileGetsTheUsualPermissionsNotATempFilesOwnerOnlyOnes() throws IOException {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) return; // POSIX only
        Path plain = Files.createFile(dir.resolve("plain"));
        Path atomic = dir.resolve("atomic");
        AtomicFiles.writeString(atomic, "x");
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(atomic));
    }

    @Test
    void aBodyThatClosesItsStreamStillProducesTheWholeFile() throws IOException {
        Path target = dir.resolve("closed.bin");
        AtomicFiles.write(target, out -> {
            out.write(new byte[] {4, 5, 6});
            out.close();
        });
        assertArrayEquals(new byte[] {4, 5, 6}, Files.readAllBytes(target));
    }

    @Test
    void createsMissingParentDirectories() throws IOException {
        Path target = dir.resolve("run/checkpoints/x.bin");
        AtomicFiles.write(target, new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(target));
    }

    @Test
    void aFailingWriterLeavesTheOldFileIntactAndCleansUp() throws IOException {
        Path target = dir.resolve("model.safetensors");
        AtomicFiles.writeString(target, "old content");
        IOException boom = new IOException("disk full (simulated)");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write(new byte[100_000]); // more than the buffer: part of it reached the temp file
            throw boom;
        }));
        assertSame(boom, e);
        assertEquals("old content", Files.readString(target));
        assertEquals(List.of("model.safetensors"), names());
    }

    @Test
    void aRuntimeFailureInsideTheWriterAlsoLeavesNoTrace() throws IOException {
        Path target = dir.resolve("new.safetensors");
        assertThrows(IllegalStateException.class, () -> AtomicFiles.write(target, out -> {
            out.write(42);
            throw new IllegalStateException("bug in the writer");
        }));
        assertEquals(List.of(), names());
    }

    @Test
    void safeTensorsWriteOverAnExistingCheckpointIsAtomic() throws IOException {
        Path target = dir.resolve("ckpt.safetensors");
        SafeTensors.write(target, Map.of("w", Tensor.ones(3)));
        SafeTensors.write(target, Map.of("w", Tensor.zeros(5)));
        assertArrayEquals(new float[5], SafeTensors.read(target).get("w").toFloatArray());
        assertEquals(List.of("ckpt.safetensors"), names());
    }
}
