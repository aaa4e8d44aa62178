package dev.ember.kernels;

/** Reductions over a set of dimensions. ALL/ANY take BOOL input and give BOOL. */
public enum ReduceOp {
    SUM, PROD, MAX, MIN, ALL, ANY
}
