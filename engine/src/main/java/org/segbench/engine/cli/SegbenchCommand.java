package org.segbench.engine.cli;

import org.segbench.engine.SegbenchException;
import picocli.CommandLine;

import java.util.function.Function;
import picocli.CommandLine.Command;

/** {@code segbench}: the engine's command line. */
@Command(name = "segbench", mixinStandardHelpOptions = true, version = "segbench 0.1.0",
        description = "Run, evaluate and time ONNX semantic-segmentation models.",
        subcommands = {InfoCommand.class, RunCommand.class, EvalCommand.class, BenchCommand.class, SoakCommand.class})
public final class SegbenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    /** Builds the command line with the error handling of all subcommands. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new SegbenchCommand());
        cli.setExecutionExceptionHandler(oneLineErrors("segbench", e -> e));
        return cli;
    }

    /**
     * Bad input is one line naming the file (exit 1), not a stack trace; anything else is an
     * internal error with its trace (exit 3). {@code cause} finds the engine's exception inside a
     * wrapper (a Spark job failure wraps it); shared with {@code segbench-spark}.
     */
    public static CommandLine.IExecutionExceptionHandler oneLineErrors(String program,
                                                                      Function<Exception, Throwable> cause) {
        return (e, commandLine, parseResult) -> {
            if (cause.apply(e) instanceof SegbenchException s) {
                commandLine.getErr().println(program + ": " + s.getMessage());
                return 1;
            }
            commandLine.getErr().println(program + ": internal error: " + e);
            e.printStackTrace(commandLine.getErr());
            return 3;
        };
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
