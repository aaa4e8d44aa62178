/**
 * Finding dataset files ({@link dev.ember.data.download.DatasetLocator}: root, cache, system folders,
 * then download), verified resumable downloads ({@link dev.ember.data.download.Downloader}), checksums,
 * a tar reader and download progress output.
 */
package dev.ember.data.download;
