package dev.ember.kernels.cpu;

import dev.ember.kernels.BinaryOp;

import dev.ember.tensor.Tensor;
import dev.ember.tensor.TensorAccess;

/** Maps batched strided matrix views onto {@link Gemm} calls without copying when the layout allows. */
final class CpuMatmul {
    private CpuMatmul() {
    }

    /** How a [rows, cols] strided view reads as a GEMM operand, or null if it must be copied first. */
    private record Layout(boolean trans, int ld) {
        static Layout of(int rows, int cols, int sRow, int sCol) {
            if (cols == 1 || sCol == 1) return new Layout(false, rows == 1 ? cols : sRow);
            if (rows == 1 || sRow == 1) return new Layout(true, cols == 1 ? rows : sCol);
            return null;
        }
    }

    static void matmul(Tensor a, Tensor b, Tensor out) {
        gemm(a, b, out, false);
    }

    /** {@code out[b] (+)= a[b] @ b[b]} over the batch: {@link #matmul}, or added to out's values with {@code accumulate}. */
    private static void gemm(Tensor a, Tensor b, Tensor out, boolean accumulate) {
        int[] ad = TensorAccess.dims(a), bd = TensorAccess.dims(b);
        int batch = ad[0], m = ad[1], k = ad[2], n = bd[2];
        Layout la = Layout.of(m, k, a.stride(1), a.stride(2));
        if (la == null) {
            a = a.contiguous();
            la = Layout.of(m, k, a.stride(1), a.stride(2));
        }
        Layout lb = Layout.of(k, n, b.stride(1), b.stride(2));
        if (lb == null) {
            b = b.contiguous();
            lb = Layout.of(k, n, b.stride(1), b.stride(2));
        }
        Object aa = CpuElementwise.data(a), ba = CpuElementwise.data(b), oa = CpuElementwise.data(out);
        int aB = a.stride(0), bB = b.stride(0), aOff = a.offset(), bOff = b.offset(), oOff = out.offset();
        Layout fa = la, fb = lb;
        boolean batchParallel = batch >= Parallel.threads() && 2L * m * n * k < (1L << 22);
        Parallel.RangeBody body = (s, e) -> {
            for (int q = s; q < e; q++) {
                if (oa instanceof float[] of) {
                    Gemm.sgemm(fa.trans, fb.trans, m, n, k, (float[]) aa, aOff + q * aB, fa.ld, (float[]) ba, bOff + q * bB, fb.ld,
                            of, oOff + q * m * n, n, accumulate, !batchParallel);
                } else {
                    Gemm.dgemm(fa.trans, fb.trans, m, n, k, (double[]) aa, aOff + q * aB, fa.ld, (double[]) ba, bOff + q * bB, fb.ld,
                            (double[]) oa, oOff + q * m * n, n, accumulate, !batchParallel);
                }
            }
        };
        if (batchParallel) Parallel.forEach(batch, body);
        else body.run(0, batch);
    }

    /** {@code out[M, N] = x[M, K] @ w[N, K]^T + bias}: w read as a transposed B operand. */
    static void linear(Tensor x, Tensor w, Tensor bias, Tensor out) {
        // The product first, stored straight from the GEMM's registers, then the bias as one vectorised broadcast
        // add. Pre-filling out with the bias (a row-by-row copy) made every GEMM tile an accumulation through a
        // scratch tile: MLP batch-1000 inference 2.22-2.25 vs 2.13-2.21 ms, training step 0.77-0.79 vs 0.76-0.77 ms.
        gemm(x.unsqueeze(0), w.t().unsqueeze(0), out.unsqueeze(0), false);
        if (bias != null) CpuElementwise.binary(BinaryOp.ADD, out, bias.broadcastTo(out.shape()), out, 0);
    }
}
