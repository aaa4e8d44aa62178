package dev.ember.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ember} command. Subcommands live in their own classes; errors from bad arguments or
 * files print one line and exit non-zero ({@code --debug} shows the stack trace).
 */
@Command(name = "ember", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Deep learning for Java: train, evaluate, benchmark.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class, InfoCommand.class, GradCheckCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Builds the command line (also used by tests). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            boolean debug = parseResult.expandedArgs().contains("--debug");
            if (debug) ex.printStackTrace();
            cmd.getErr().println("ember: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            return 1;
        });
        // A mistyped option gets one line and a pointer to the help, not the whole usage text.
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println("ember: " + ex.getMessage());
            cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for the options.");
            return 2;
        });
        return cl;
    }

    /** Runs one command line and returns its exit code (the entry point tests use). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Prints the library version for {@code --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"ember " + dev.ember.Ember.VERSION};
        }
    }
}
