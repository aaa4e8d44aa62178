/**
 * Ready-made datasets: {@link dev.ember.data.datasets.Mnist}, {@link dev.ember.data.datasets.FashionMnist}
 * (IDX), {@link dev.ember.data.datasets.Cifar10}, {@link dev.ember.data.datasets.Cifar100} (binary
 * versions), {@link dev.ember.data.datasets.ImageFolder} (one folder per class) and
 * {@link dev.ember.data.datasets.CsvDataset} (tabular). Files that are truncated or corrupt (bad magic,
 * wrong length, checksum mismatch) are refused with an error naming the file and the problem.
 */
package dev.ember.data.datasets;
