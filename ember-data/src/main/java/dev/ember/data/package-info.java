/**
 * Steps 1 and 2 of the pipeline: datasets and the loader that batches them.
 *
 * <ul>
 * <li>{@link dev.ember.data.Dataset} (map-style: size + get by index) and
 *     {@link dev.ember.data.IterableDataset} (streams), with {@link dev.ember.data.Subset},
 *     {@link dev.ember.data.ConcatDataset}, {@link dev.ember.data.TensorDataset} and
 *     {@code randomSplit}.</li>
 * <li>{@link dev.ember.data.DataLoader}: batch size, seeded shuffle, drop-last, pluggable
 *     {@link dev.ember.data.Collate}, background workers with prefetching; batches are
 *     {@link dev.ember.data.Batch}{@code (x, y)} and identical for any worker count.</li>
 * <li>{@link dev.ember.data.Transform}: augmentation steps seeded per sample by the loader; the
 *     concrete transforms are in {@code dev.ember.data.transforms}; datasets (MNIST, Fashion-MNIST,
 *     CIFAR-10/100, ImageFolder, CSV) in {@code dev.ember.data.datasets}; finding, downloading and
 *     verifying files in {@code dev.ember.data.download}.</li>
 * </ul>
 *
 * <pre>{@code
 * ImageDataset train = FashionMnist.load(Split.TRAIN).transform(Compose.of(new ToTensor(), FashionMnist.normalize()));
 * DataLoader<Batch> loader = DataLoader.builder(train).batchSize(64).shuffle(true).seed(42).workers(2).build();
 * for (Batch b : loader) { ... }
 * }</pre>
 */
package dev.ember.data;
