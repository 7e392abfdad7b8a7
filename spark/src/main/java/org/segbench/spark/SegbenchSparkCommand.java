package org.segbench.spark;

import org.segbench.engine.cli.SegbenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code segbench-spark}: segbench's batch jobs on Apache Spark (docs/spark.md). */
@Command(name = "segbench-spark", mixinStandardHelpOptions = true, version = "segbench-spark 0.1.0",
        description = "Evaluate models over large image sets and score video for disagreement, on Apache Spark.",
        subcommands = {EvalJobCommand.class, DisagreeJobCommand.class})
public final class SegbenchSparkCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    /** The command line, with bad input as one line naming the file (exit 1) as in {@code segbench}. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new SegbenchSparkCommand());
        cli.setExecutionExceptionHandler(SegbenchCommand.oneLineErrors("segbench-spark", SparkFailures::segbenchCause));
        return cli;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
