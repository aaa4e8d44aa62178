package dev.ember.data.download;

/**
 * One file of a dataset as it is published.
 *
 * @param name file name on the mirror and on disk, e.g. {@code train-images-idx3-ubyte.gz}
 * @param md5 MD5 of the published file (what a download fetches), or null if none is published
 * @param contentSha256 SHA-256 of the decompressed content for {@code .gz} files (or of the file itself
 *                      otherwise), or null; unlike the MD5 it survives recompression, so files that a
 *                      distribution repacked can still be verified
 * @param size expected size in bytes of the published file, or -1 if unknown (for the progress bar)
 */
public record RemoteFile(String name, String md5, String contentSha256, long size) {
    public RemoteFile {
        if (name == null || name.isBlank() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw new IllegalArgumentException("RemoteFile: name must be a plain file name, got '" + name + "'");
        }
    }

    /** The name without a trailing {@code .gz} (the name of the decompressed file). */
    public String uncompressedName() {
        return name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
    }
}
