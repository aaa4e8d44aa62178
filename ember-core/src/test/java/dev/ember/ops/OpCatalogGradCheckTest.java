package dev.ember.ops;

import dev.ember.autograd.GradCheck;
import dev.ember.ops.catalog.OpCatalog;
import dev.ember.ops.catalog.OpSpec;
import dev.ember.tensor.Generator;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Finite-difference gradient checks (first and, where supported, second order) over the whole op catalogue. */
class OpCatalogGradCheckTest {
    @TestFactory
    List<DynamicTest> gradcheckEveryOp() {
        List<DynamicTest> tests = new ArrayList<>();
        for (OpSpec spec : OpCatalog.all()) {
            for (OpSpec.Sample s : spec.samples().apply(new Generator(spec.name().hashCode()))) {
                tests.add(DynamicTest.dynamicTest(spec.name() + " [" + s.label() + "]", () -> {
                    GradCheck.Result r = GradCheck.check(spec.fn(), s.inputs());
                    assertTrue(r.passed(), spec.name() + ": " + r.message());
                }));
                if (spec.secondOrder()) {
                    tests.add(DynamicTest.dynamicTest(spec.name() + " [" + s.label() + "] second order", () -> {
                        GradCheck.Result r = GradCheck.checkSecondOrder(spec.fn(), GradCheck.Options.DEFAULT, s.inputs());
                        assertTrue(r.passed(), spec.name() + ": " + r.message());
                    }));
                }
            }
        }
        return tests;
    }
}
