package dev.ember.ops;

import dev.ember.tensor.DType;
import dev.ember.tensor.PadMode;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Error messages of the indexing, joining and shape ops: they name the op and the offending values. */
class IndexingErrorsTest {
    private static final Tensor X = Tensor.arange(0, 15, 1).to(DType.FLOAT32).reshape(3, 5);

    private static void fails(Class<? extends Throwable> type, String message, Executable call) {
        Throwable t = assertThrows(type, call);
        assertEquals(message, t.getMessage());
    }

    private static void failsContaining(Class<? extends Throwable> type, String part, Executable call) {
        Throwable t = assertThrows(type, call);
        assertTrue(t.getMessage().contains(part), () -> "message '" + t.getMessage() + "' does not contain '" + part + "'");
    }

    private static Tensor longs(long... v) {
        return Tensor.of(v);
    }

    @Test
    void indexOutOfRangeNamesOpDimensionAndSize() {
        fails(IndexOutOfBoundsException.class, "gather: index 7 is out of bounds for dimension 1 with size 5",
                () -> X.gather(1, Tensor.of(new long[] {0, 7}, 1, 2)));
        fails(IndexOutOfBoundsException.class, "gather: index -1 is out of bounds for dimension 0 with size 3",
                () -> X.gather(0, Tensor.of(new int[] {-1}, 1, 1)));
        fails(IndexOutOfBoundsException.class, "scatter: index 5 is out of bounds for dimension 1 with size 5",
                () -> X.scatter(1, Tensor.of(new long[] {5}, 1, 1), Tensor.ones(1, 1)));
        fails(IndexOutOfBoundsException.class, "scatterAdd: index 3 is out of bounds for dimension 0 with size 3",
                () -> X.scatterAdd(0, Tensor.of(new long[] {3}, 1, 1), Tensor.ones(1, 1)));
        fails(IndexOutOfBoundsException.class, "indexSelect: index 5 is out of bounds for dimension 1 with size 5",
                () -> X.indexSelect(1, longs(1, 5)));
        fails(IndexOutOfBoundsException.class, "indexAdd: index -2 is out of bounds for dimension 0 with size 3",
                () -> X.indexAdd(0, longs(-2), Tensor.ones(1, 5)));
        fails(IndexOutOfBoundsException.class, "index: index -4 is out of bounds for dimension 0 with size 3",
                () -> X.index(longs(0, -4)));
        fails(IndexOutOfBoundsException.class, "scatter: index 9 is out of bounds for dimension 1 with size 5",
                () -> X.copy().scatterInPlace(1, Tensor.of(new long[] {9}, 1, 1), 1.0));
    }

    @Test
    void indexOutOfRangeFromAWorkerThreadIsTheSameClearError() {
        Tensor big = Tensor.zeros(256, 1024);
        long[] idx = new long[256 * 1024];
        idx[idx.length - 1] = 300; // in the last chunk, which a pool thread runs
        Tensor index = Tensor.of(idx, 256, 1024);
        fails(IndexOutOfBoundsException.class, "gather: index 300 is out of bounds for dimension 0 with size 256",
                () -> big.gather(0, index));
        fails(IndexOutOfBoundsException.class, "scatterAdd: index 300 is out of bounds for dimension 0 with size 256",
                () -> big.scatterAdd(0, index, Tensor.ones(256, 1024)));
    }

    @Test
    void indexDTypeAndShapeProblems() {
        fails(IllegalArgumentException.class, "gather: index must be an int64 or int32 tensor, got float32. "
                + "Hint: convert it with index.to(DType.INT64)", () -> X.gather(1, Tensor.zeros(3, 1)));
        failsContaining(IllegalArgumentException.class, "indexSelect: index must be an int64 or int32 tensor, got bool",
                () -> X.indexSelect(0, Tensor.of(new boolean[] {true})));
        fails(IllegalArgumentException.class, "gather: index must have as many dimensions as the input: input [3, 5], index [2]",
                () -> X.gather(1, longs(0, 1)));
        failsContaining(IllegalArgumentException.class, "gather: index [4, 1] must not be larger than the input [3, 5] in any "
                + "dimension but 1", () -> X.gather(1, Tensor.of(new long[4], 4, 1)));
        failsContaining(IllegalArgumentException.class, "scatter: expected index [2, 2] to be no larger than self [3, 5] apart from "
                + "dimension 1 and no larger than src [1, 1]", () -> X.scatter(1, Tensor.of(new long[4], 2, 2), Tensor.ones(1, 1)));
        failsContaining(IllegalArgumentException.class, "scatter: expected src to have self's dtype float32, got float64",
                () -> X.scatter(1, Tensor.of(new long[1], 1, 1), Tensor.ones(Shape.of(1, 1), DType.FLOAT64)));
        fails(IllegalArgumentException.class, "indexSelect: index must be 1-D (or 0-d), got shape [1, 1]",
                () -> X.indexSelect(0, Tensor.of(new long[1], 1, 1)));
        failsContaining(IllegalArgumentException.class, "indexAdd: src must have shape [2, 5]",
                () -> X.indexAdd(0, longs(0, 1), Tensor.ones(2, 4)));
        fails(IndexOutOfBoundsException.class, "gather: dimension 2 out of range for a tensor of rank 2 (expected -2 to 1)",
                () -> X.gather(2, Tensor.of(new long[1], 1, 1)));
    }

    @Test
    void maskAndOneHotProblems() {
        fails(IllegalArgumentException.class, "maskedFill: mask must be a bool tensor, got float32. Hint: compare first, e.g. x.gt(0)",
                () -> X.maskedFill(Tensor.ones(5), 1.0));
        failsContaining(IllegalArgumentException.class, "maskedFill: value must be a 0-d tensor, got shape [1]",
                () -> X.maskedFill(X.gt(3.0), Tensor.ones(1)));
        fails(IllegalArgumentException.class, "maskedFill: shapes [3, 5] and [4] cannot be broadcast (dimension 1: 5 vs 4)",
                () -> X.maskedFill(Tensor.of(new boolean[4]), 1.0));
        fails(IllegalArgumentException.class, "oneHot: expects a tensor of class indices (int64 or int32), got float32",
                () -> Tensor.oneHot(Tensor.ones(2), 3));
        fails(IllegalArgumentException.class, "oneHot: class values must be non-negative, got -1",
                () -> Tensor.oneHot(longs(1, -1), 3));
        fails(IllegalArgumentException.class, "oneHot: class value 5 is out of range for numClasses 3 (class values must be smaller "
                + "than numClasses)", () -> Tensor.oneHot(longs(1, 5), 3));
        fails(IllegalArgumentException.class, "oneHot: cannot infer the number of classes from an empty tensor; pass numClasses",
                () -> Tensor.oneHot(Tensor.of(new long[0]), -1));
    }

    @Test
    void joiningProblems() {
        fails(IllegalArgumentException.class, "cat: expected a non-empty list of tensors", () -> Tensor.cat(List.of(), 0));
        fails(IllegalArgumentException.class, "cat: zero-dimensional tensor (at position 1) cannot be concatenated. Hint: use stack, "
                + "or unsqueeze(0) first", () -> Tensor.cat(List.of(Tensor.ones(1), Tensor.scalar(1)), 0));
        fails(IllegalArgumentException.class, "cat: tensors must have the same number of dimensions: got 2 and 1 (tensor 0 [3, 5], "
                + "tensor 1 [2])", () -> Tensor.cat(List.of(X, Tensor.ones(2)), 0));
        fails(IllegalArgumentException.class, "cat: sizes of tensors must match except in dimension 0. Expected size 5 but got size 4 "
                + "for tensor number 1 in the list (shapes [3, 5] and [2, 4])", () -> Tensor.cat(List.of(X, Tensor.ones(2, 4)), 0));
        fails(IndexOutOfBoundsException.class, "cat: dimension 2 out of range for a tensor of rank 2 (expected -2 to 1)",
                () -> Tensor.cat(List.of(X, X), 2));
        fails(IllegalArgumentException.class, "stack: expects each tensor to be equal size, but got [3, 5] at entry 0 and [3, 4] at "
                + "entry 1", () -> Tensor.stack(List.of(X, Tensor.ones(3, 4)), 0));
        fails(IllegalArgumentException.class, "split: sizes [2, 2] must sum exactly to 5 (the size of dimension 1 of shape [3, 5]), "
                + "but sum to 4", () -> X.split(new int[] {2, 2}, 1));
        fails(IllegalArgumentException.class, "split: splitSize can only be 0 if dimension 1 has size 0, got shape [3, 5]",
                () -> X.split(0, 1));
        fails(IllegalArgumentException.class, "chunk: chunks must be greater than 0, got 0", () -> X.chunk(0, 0));
        fails(IllegalArgumentException.class, "split: cannot split a 0-d tensor", () -> Tensor.scalar(1).split(1, 0));
    }

    @Test
    void shapeOpProblems() {
        fails(IllegalArgumentException.class, "pad: padding length must be divisible by 2, got [1, 1, 1]", () -> X.pad(1, 1, 1));
        fails(IllegalArgumentException.class, "pad: padding length too large: 3 (before, after) pairs [1, 1, 1, 1, 1, 1] for a tensor "
                + "of shape [3, 5]", () -> X.pad(1, 1, 1, 1, 1, 1));
        fails(IllegalArgumentException.class, "pad: reflect padding (5, 0) must be smaller than the size 5 of dimension 1 of the input "
                + "of shape [3, 5]", () -> X.pad(new int[] {5, 0}, PadMode.REFLECT));
        fails(IllegalArgumentException.class, "pad: replicate padding needs a non-empty dimension 1, got shape [3, 0]",
                () -> Tensor.zeros(3, 0).pad(new int[] {1, 1}, PadMode.REPLICATE));
        fails(IllegalArgumentException.class, "pad: the input size 5 of dimension 1 (shape [3, 5]), plus padding -3 and -3, gives a "
                + "negative output size -1", () -> X.pad(-3, -3));
        failsContaining(IllegalArgumentException.class, "pad: mode reflect does not take a fill value",
                () -> ShapeOps.pad(X, new int[] {1, 1}, PadMode.REFLECT, 2.0));
        fails(IllegalArgumentException.class, "padBackward: gradient of shape [4, 6] does not match the padded shape [4, 7] of the "
                + "input shape [3, 4]", () -> dev.ember.autograd.Dispatch.apply(
                        new ShapeOps.PadBackward(new int[] {1, 2}, new int[] {0, 1}, PadMode.REFLECT, Shape.of(3, 4)), Tensor.zeros(4, 6)));
        fails(IllegalArgumentException.class, "repeat: the number of repeats (1) can not be smaller than the number of dimensions of "
                + "the tensor (shape [3, 5])", () -> X.repeat(2));
        fails(IllegalArgumentException.class, "repeat: repeats must be non-negative, got [-1, 2]", () -> X.repeat(-1, 2));
        fails(IllegalArgumentException.class, "flip: dimension 0 appears more than once in [0, -2]", () -> X.flip(0, -2));
        fails(IllegalArgumentException.class, "tril: input must have at least 2 dimensions, got shape [5]", () -> Tensor.ones(5).tril());
        fails(IllegalArgumentException.class, "triu: input must have at least 2 dimensions, got shape []", () -> Tensor.scalar(1).triu(1));
    }

    @Test
    void inPlaceScatterFollowsTheInPlaceRules() {
        Tensor leaf = Tensor.zeros(2, 3).requiresGrad(true);
        failsContaining(IllegalStateException.class, "scatterInPlace: a leaf tensor that requires grad",
                () -> leaf.scatterInPlace(1, Tensor.of(new long[] {0, 1}, 2, 1), 1.0));
        Tensor t = Tensor.zeros(2, 3);
        int version = t.storage().version();
        Tensor r = t.scatterAddInPlace(1, Tensor.of(new long[] {2, 2, 0, 0}, 2, 2), Tensor.ones(2, 2));
        assertTrue(r == t, "scatterAddInPlace returns this");
        assertTrue(t.storage().version() > version, "the storage version is bumped");
        assertEquals(List.of(0.0, 0.0, 2.0, 2.0, 0.0, 0.0), boxed(t.toDoubleArray()));
    }

    static List<Double> boxed(double[] a) {
        return java.util.Arrays.stream(a).boxed().toList();
    }
}
