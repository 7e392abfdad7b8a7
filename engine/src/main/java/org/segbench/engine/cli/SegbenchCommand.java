package org.segbench.engine.cli;

import org.segbench.engine.SegbenchException;
import picocli.CommandLine;
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
        // bad input is a one-line message naming the file, not a stack trace
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof SegbenchException s) {
                commandLine.getErr().println("segbench: " + s.getMessage());
                return 1;
            }
            commandLine.getErr().println("segbench: internal error: " + e);
            e.printStackTrace(commandLine.getErr());
            return 3;
        });
        return cli;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
