package dev.ember.data.datasets;

/** Which part of a dataset: the training or the test examples. */
public enum Split {
    TRAIN, TEST
}
