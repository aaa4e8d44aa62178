package dev.ember.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ember bench}: kernel and model benchmarks. Each workload is a subcommand; with none, all
 * quick ones run in turn. Figures are printed as {@code name key=value ...} lines so scripts can
 * parse them.
 */
@Command(name = "bench", description = "Benchmark kernels (gemm, elementwise, conv2d, optim) and whole models (model).",
        subcommands = {GemmBench.class, ElementwiseBench.class, ConvBench.class, OptimBenchCommand.class, ModelBench.class})
final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        CommandLine self = spec.commandLine();
        if (self.getSubcommands().isEmpty()) {
            System.out.println("bench: no benchmarks are registered in this build");
            return;
        }
        for (CommandLine sub : self.getSubcommands().values()) {
            int rc = sub.execute();
            if (rc != 0) throw new IllegalStateException("bench " + sub.getCommandName() + " failed with status " + rc);
        }
    }
}
