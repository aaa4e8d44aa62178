package dev.ember.optim;

import dev.ember.io.Json;
import dev.ember.optim.lr.CosineAnnealingLR;
import dev.ember.optim.lr.CosineAnnealingWarmRestarts;
import dev.ember.optim.lr.ExponentialLR;
import dev.ember.optim.lr.LRScheduler;
import dev.ember.optim.lr.LinearLR;
import dev.ember.optim.lr.MultiStepLR;
import dev.ember.optim.lr.OneCycleLR;
import dev.ember.optim.lr.ReduceLROnPlateau;
import dev.ember.optim.lr.SequentialLR;
import dev.ember.optim.lr.StepLR;
import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;
import dev.ember.testing.Golden;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The problem and cases of golden/optim.json (written by tools/golden/gen_optim.py), rebuilt in
 * Ember: the same parameters, loss, optimizer options, groups and schedulers as the PyTorch run.
 */
final class OptimGolden {
    private OptimGolden() {
    }

    /** The fixture document. */
    static final Map<String, Object> DOC = load();

    @SuppressWarnings("unchecked")
    private static Map<String, Object> load() {
        try (InputStream in = OptimGolden.class.getResourceAsStream("/golden/optim.json")) {
            if (in == null) throw new IllegalStateException("missing fixture golden/optim.json (run tools/golden/gen_optim.py)");
            return Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> cases() {
        return (List<Map<String, Object>>) DOC.get("cases");
    }

    @SuppressWarnings("unchecked")
    static Tensor problem(String key) {
        return Golden.tensor((Map<String, Object>) ((Map<String, Object>) DOC.get("problem")).get(key));
    }

    static double decay() {
        return ((Number) ((Map<?, ?>) DOC.get("problem")).get("decay")).doubleValue();
    }

    /** The parameters w, b, u of one run (fresh leaves of the given dtype). */
    static Map<String, Tensor> freshParams(DType dtype) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (String k : List.of("w", "b", "u")) m.put(k, problem(k).to(dtype).copy().requiresGrad(true));
        return m;
    }

    /** {@code sign * (mean((x @ w + b - y)^2) + decay * sum(w^4))}. */
    static Tensor loss(Map<String, Tensor> p, DType dtype, double sign) {
        Tensor x = problem("x").to(dtype), y = problem("y").to(dtype);
        Tensor w = p.get("w"), b = p.get("b");
        Tensor fit = x.matmul(w).add(b).sub(y).pow(2).mean();
        return fit.add(w.pow(4).sum().mul(decay())).mul(sign);
    }

    /** One training step: zero grads, backward, optimizer step. */
    static void trainStep(Optimizer opt, Map<String, Tensor> p, DType dtype, double sign) {
        opt.zeroGrad();
        loss(p, dtype, sign).backward();
        opt.step();
    }

    /** The flattened w, b, u. */
    static double[] snapshot(Map<String, Tensor> p) {
        List<Double> l = new ArrayList<>();
        for (Tensor t : p.values()) for (double v : t.toDoubleArray()) l.add(v);
        double[] r = new double[l.size()];
        for (int i = 0; i < r.length; i++) r[i] = l.get(i);
        return r;
    }

    @SuppressWarnings("unchecked")
    static Optimizer optimizer(Map<String, Object> c, Map<String, Tensor> params) {
        Map<String, Object> defaults = (Map<String, Object>) c.get("defaults");
        List<Map<String, Object>> groupSpecs = (List<Map<String, Object>>) c.get("groups");
        ParamGroup[] groups = new ParamGroup[groupSpecs.size()];
        for (int i = 0; i < groups.length; i++) {
            Map<String, Object> spec = groupSpecs.get(i);
            List<Tensor> ps = new ArrayList<>();
            for (Object n : (List<Object>) spec.get("params")) ps.add(params.get((String) n));
            ParamGroup g = ParamGroup.of(ps);
            spec.forEach((k, v) -> {
                if (!k.equals("params")) g.put(k, v);
            });
            groups[i] = g;
        }
        String type = (String) c.get("optimizer");
        return switch (type) {
            case "SGD" -> new SGD(with(SGD.options(), defaults), groups);
            case "Adam" -> new Adam(with(Adam.options(), defaults), groups);
            case "AdamW" -> new AdamW(with(AdamW.options(), defaults), groups);
            case "RMSprop" -> new RMSprop(with(RMSprop.options(), defaults), groups);
            case "Adagrad" -> new Adagrad(with(Adagrad.options(), defaults), groups);
            default -> throw new IllegalArgumentException("unknown optimizer " + type);
        };
    }

    private static <T extends OptimizerOptions<T>> T with(T options, Map<String, Object> values) {
        values.forEach(options::set);
        return options;
    }

    static DType dtype(Map<String, Object> c) {
        return c.get("dtype").equals("float32") ? DType.FLOAT32 : DType.FLOAT64;
    }

    static int integer(Map<String, Object> spec, String key) {
        return ((Number) spec.get(key)).intValue();
    }

    static double number(Map<String, Object> spec, String key) {
        return ((Number) spec.get(key)).doubleValue();
    }

    static double[] numbers(Object list) {
        List<?> l = (List<?>) list;
        double[] r = new double[l.size()];
        for (int i = 0; i < r.length; i++) r[i] = ((Number) l.get(i)).doubleValue();
        return r;
    }

    /** Builds an epoch scheduler from its fixture spec. */
    @SuppressWarnings("unchecked")
    static LRScheduler scheduler(Map<String, Object> s, Optimizer opt) {
        String type = (String) s.get("type");
        return switch (type) {
            case "StepLR" -> new StepLR(opt, integer(s, "step_size"), number(s, "gamma"));
            case "MultiStepLR" -> {
                double[] m = numbers(s.get("milestones"));
                int[] ms = new int[m.length];
                for (int i = 0; i < m.length; i++) ms[i] = (int) m[i];
                yield new MultiStepLR(opt, ms, number(s, "gamma"));
            }
            case "ExponentialLR" -> new ExponentialLR(opt, number(s, "gamma"));
            case "CosineAnnealingLR" -> {
                if (s.containsKey("last_epoch")) {
                    for (ParamGroup g : opt.paramGroups()) g.put("initial_lr", g.lr() * number(s, "initial_lr_factor"));
                    yield new CosineAnnealingLR(opt, integer(s, "T_max"), number(s, "eta_min"), integer(s, "last_epoch"));
                }
                yield new CosineAnnealingLR(opt, integer(s, "T_max"), number(s, "eta_min"));
            }
            case "CosineAnnealingWarmRestarts" ->
                    new CosineAnnealingWarmRestarts(opt, integer(s, "T_0"), integer(s, "T_mult"), number(s, "eta_min"));
            case "LinearLR" -> new LinearLR(opt, number(s, "start_factor"), number(s, "end_factor"), integer(s, "total_iters"));
            case "OneCycleLR" -> {
                var o = OneCycleLR.options(numbers(s.get("max_lr")), integer(s, "total_steps")).pctStart(number(s, "pct_start"))
                        .anneal(s.get("anneal_strategy").equals("cos") ? OneCycleLR.Anneal.COS : OneCycleLR.Anneal.LINEAR)
                        .threePhase((Boolean) s.get("three_phase"));
                if (s.containsKey("div_factor")) o.divFactor(number(s, "div_factor"));
                if (s.containsKey("final_div_factor")) o.finalDivFactor(number(s, "final_div_factor"));
                yield new OneCycleLR(opt, o);
            }
            case "SequentialLR" -> {
                List<LRScheduler> children = new ArrayList<>();
                for (Object child : (List<Object>) s.get("schedulers")) children.add(scheduler((Map<String, Object>) child, opt));
                double[] m = numbers(s.get("milestones"));
                int[] ms = new int[m.length];
                for (int i = 0; i < m.length; i++) ms[i] = (int) m[i];
                yield new SequentialLR(opt, children, ms);
            }
            default -> throw new IllegalArgumentException("unknown scheduler " + type);
        };
    }

    /** Builds a ReduceLROnPlateau from its fixture spec. */
    static ReduceLROnPlateau plateau(Map<String, Object> s, Optimizer opt) {
        var o = ReduceLROnPlateau.options()
                .mode(s.get("mode").equals("min") ? ReduceLROnPlateau.Mode.MIN : ReduceLROnPlateau.Mode.MAX)
                .factor(number(s, "factor")).patience(integer(s, "patience")).threshold(number(s, "threshold"))
                .thresholdMode(s.get("threshold_mode").equals("rel") ? ReduceLROnPlateau.ThresholdMode.REL : ReduceLROnPlateau.ThresholdMode.ABS)
                .cooldown(integer(s, "cooldown")).minLr(numbers(s.get("min_lr")));
        return new ReduceLROnPlateau(opt, o);
    }
}
