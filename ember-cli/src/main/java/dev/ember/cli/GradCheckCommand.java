package dev.ember.cli;

import dev.ember.autograd.GradCheck;
import dev.ember.ops.catalog.OpCatalog;
import dev.ember.ops.catalog.OpSpec;
import dev.ember.tensor.Generator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code ember gradcheck}: finite-difference gradient checks in float64 over the whole op catalogue
 * (first order, and second order where the op supports double backward).
 */
@Command(name = "gradcheck", description = "Check every op's gradients against finite differences (float64).")
final class GradCheckCommand implements Callable<Integer> {
    @Option(names = "--op", description = "Only ops whose name contains this text.")
    String filter;

    @Option(names = {"-v", "--verbose"}, description = "Print every sample, not just failures.")
    boolean verbose;

    @Override
    public Integer call() {
        int ops = 0, passed = 0;
        for (OpSpec spec : OpCatalog.all()) {
            if (filter != null && !spec.name().contains(filter)) continue;
            ops++;
            boolean ok = true;
            for (OpSpec.Sample s : spec.samples().apply(new Generator(spec.name().hashCode()))) {
                ok &= report(spec.name(), s.label(), "", run(() -> GradCheck.check(spec.fn(), s.inputs())));
                if (spec.secondOrder()) {
                    ok &= report(spec.name(), s.label(), " (2nd order)",
                            run(() -> GradCheck.checkSecondOrder(spec.fn(), GradCheck.Options.DEFAULT, s.inputs())));
                }
            }
            if (ok) passed++;
        }
        System.out.println("gradcheck: " + ops + " ops, " + passed + " passed, " + (ops - passed) + " failed");
        return ops == passed ? 0 : 1;
    }

    private static GradCheck.Result run(java.util.function.Supplier<GradCheck.Result> check) {
        try {
            return check.get();
        } catch (RuntimeException e) {
            return new GradCheck.Result(false, Double.NaN, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private boolean report(String op, String label, String order, GradCheck.Result r) {
        if (!r.passed()) {
            System.out.println("FAIL " + op + " [" + label + "]" + order + ": " + r.message());
        } else if (verbose) {
            System.out.printf("ok   %s [%s]%s max |error| %.2e%n", op, label, order, r.maxAbsError());
        }
        return r.passed();
    }
}
