package org.segbench.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;

import org.segbench.app.source.Pace;
import java.util.Locale;

/**
 * Start-up settings from the command line. With no {@code --model}, the bundled models in
 * {@code assets/models/} open (at most four), else the engine's tiny test models, so the app
 * always starts with something to show.
 *
 * @param report         where {@code --report} writes each pane's speed at the end of the run, or null
 * @param warmUpS        seconds of the run the report leaves out
 * @param pace           real time (the source's clock) or models set the pace
 * @param sharedThreads  one ONNX Runtime thread pool for all panes (default) instead of one per model
 */
public record AppOptions(Path root, List<Path> models, Path source, Path groundTruth, boolean play, boolean loop,
                         Path snapshot, double quitAfterS, Path report, double warmUpS, Pace pace,
                         boolean sharedThreads) {
    /** Seconds a report leaves out unless told: model warm-up, JIT, the first frames on screen. */
    public static final double DEFAULT_WARM_UP_S = 10;

    public AppOptions(Path root, List<Path> models, Path source, Path groundTruth, boolean play, boolean loop) {
        this(root, models, source, groundTruth, play, loop, null, 0, null, DEFAULT_WARM_UP_S, Pace.REALTIME, true);
    }

    /**
     * The workbench's command line, parsed with picocli like the engine's: an unknown or malformed
     * option is a {@link ParameterException} with a one-line message, raised before JavaFX starts.
     */
    @Command(name = "workbench", mixinStandardHelpOptions = true, version = "segbench workbench 0.1.0",
            description = "Compare segmentation models side by side on the same frames.",
            footer = {"--snapshot/--quit-after: a smoke test; save the window as PNG after the given seconds"
                    + " (default 20), then exit (0 when every pane showed a prediction).",
                    "--report FILE.json --quit-after S: each pane's FPS, stage times, frames shown and dropped"
                    + " over the run after the warm-up (see app/README.md)."})
    static final class Arguments {
        @Option(names = "--root", paramLabel = "DIR", description = "Repository root (default: the current folder).")
        Path root;

        @Option(names = "--model", paramLabel = "FILE.onnx",
                description = "A model to open; repeat for several (default: the bundled ones).")
        List<Path> models = new ArrayList<>();

        @Option(names = "--source", paramLabel = "IMAGE|DIR|VIDEO|webcam:N", description = "What to segment.")
        Path source;

        @Option(names = "--gt", paramLabel = "DIR|FILE", description = "Ground truth for the source.")
        Path groundTruth;

        @Option(names = "--no-play", description = "Open paused.")
        boolean noPlay;

        @Option(names = "--no-loop", description = "Stop at the end of a video instead of looping.")
        boolean noLoop;

        @Option(names = "--snapshot", paramLabel = "FILE.png", description = "Save the window as PNG, then exit.")
        Path snapshot;

        @Option(names = "--quit-after", paramLabel = "SECONDS", description = "Exit after this many seconds (> 0).")
        Double quitAfter;

        @Option(names = "--pace", paramLabel = "realtime|models", converter = PaceConverter.class,
                description = "realtime (default): frames come at the video's rate, slow panes drop some;"
                        + " models: the next frame waits for the slowest pane, none dropped.")
        Pace pace = Pace.REALTIME;

        @Option(names = "--report", paramLabel = "FILE.json",
                description = "With --quit-after: write each pane's speed over the run (after --warm-up) as JSON.")
        Path report;

        @Option(names = "--warm-up", paramLabel = "SECONDS",
                description = "Seconds at the start a --report leaves out (default 10; less than --quit-after).")
        Double warmUp;

        @Option(names = "--own-thread-pools",
                description = "Give each model its own ONNX Runtime thread pool instead of one shared pool"
                        + " (for comparison; slower with several panes).")
        boolean ownThreadPools;

        @Spec
        CommandSpec spec;

        void validate() {
            if (quitAfter != null && !(quitAfter > 0 && quitAfter < 1e6)) {
                throw new ParameterException(spec.commandLine(), "--quit-after " + quitAfter
                        + ": give a number of seconds > 0");
            }
            if (report != null && quitAfter == null) {
                throw new ParameterException(spec.commandLine(), "--report " + report
                        + ": needs --quit-after SECONDS (the report is written when the run ends)");
            }
            double warm = warmUp != null ? warmUp : DEFAULT_WARM_UP_S;
            if (warmUp != null && !(warmUp >= 0)) {
                throw new ParameterException(spec.commandLine(), "--warm-up " + warmUp + ": give seconds >= 0");
            }
            if (report != null && warm >= quitAfter) {
                throw new ParameterException(spec.commandLine(), "--warm-up " + warm + " leaves nothing of --quit-after "
                        + quitAfter + " to measure: give a longer run or a shorter warm-up");
            }
        }
    }

    /** {@code realtime} or {@code models}, any case. */
    static final class PaceConverter implements CommandLine.ITypeConverter<Pace> {
        @Override
        public Pace convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "realtime", "real-time" -> Pace.REALTIME;
                case "models" -> Pace.MODELS;
                default -> throw new CommandLine.TypeConversionException("'" + value + "': give realtime or models");
            };
        }
    }

    /** A parser for the workbench's arguments; its usage text is what {@code --help} prints. */
    public static CommandLine commandLine() {
        return new CommandLine(new Arguments());
    }

    /**
     * Checks the arguments before the toolkit starts: {@code --help}/{@code --version} print and
     * return 0; a bad option prints one line and the usage on {@code err} and returns 2 (picocli's
     * usage-error code, as the engine's CLI); else empty, and the app may start.
     */
    public static OptionalInt check(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = commandLine();
        try {
            cli.parseArgs(args);
            if (cli.isUsageHelpRequested()) {
                cli.usage(out);
                out.flush();
                return OptionalInt.of(0);
            }
            if (cli.isVersionHelpRequested()) {
                cli.printVersionHelp(out);
                out.flush();
                return OptionalInt.of(0);
            }
            ((Arguments) cli.getCommand()).validate();
            return OptionalInt.empty();
        } catch (ParameterException e) {
            err.println("workbench: " + e.getMessage());
            e.getCommandLine().usage(err);
            err.flush();
            return OptionalInt.of(CommandLine.ExitCode.USAGE);
        }
    }

    /**
     * Parses the arguments (see {@link #check} for the friendly form used at start-up).
     *
     * @throws ParameterException on an unknown or malformed option
     */
    public static AppOptions parse(String... args) {
        CommandLine cli = commandLine();
        cli.parseArgs(args);
        Arguments a = cli.getCommand();
        a.validate();
        Path root = (a.root != null ? a.root : Path.of(System.getProperty("segbench.root", ".")))
                .toAbsolutePath().normalize();
        List<Path> models = a.models.isEmpty() ? defaultModels(root) : a.models;
        Path source = a.source;
        if (source == null) {
            Path video = root.resolve("sample-images/vtest.avi");
            source = Files.isRegularFile(video) ? video : null;
        }
        double quitAfter = a.quitAfter != null ? a.quitAfter : a.snapshot != null ? 20 : 0;
        return new AppOptions(root, List.copyOf(models), source, a.groundTruth, !a.noPlay, !a.noLoop, a.snapshot,
                quitAfter, a.report, a.warmUp != null ? a.warmUp : DEFAULT_WARM_UP_S, a.pace, !a.ownThreadPools);
    }

    /** Bundled models first; the engine's tiny test models when none are bundled yet. */
    public static List<Path> defaultModels(Path root) {
        List<Path> bundled = onnxIn(root.resolve("assets/models"));
        if (!bundled.isEmpty()) return pickDefaults(bundled);
        Path tiny = root.resolve("engine/src/test/resources/models");
        return Stream.of("tiny_camvid.onnx", "tiny_fastscnn_cityscapes.onnx")
                .map(tiny::resolve)
                .filter(Files::isRegularFile)
                .toList();
    }

    /**
     * Preferred order of the bundled networks: the flagship seed network beside the external
     * reference (ESPNet, the published CamVid model of the same size class), then the others.
     */
    private static final List<String> PREFERRED = List.of("fastscnn", "espnet_camvid", "ndnet29", "spssnet",
            "shelfnet18", "ndnet45", "ndnet61");

    /** Up to two bundled models, Fast-SCNN and ESPNet when present (see assets/models/README.md). */
    public static List<Path> pickDefaults(List<Path> bundled) {
        List<Path> sorted = byPreference(bundled);
        return sorted.subList(0, Math.min(2, sorted.size()));
    }

    /** Bundled models in the order the app offers them. */
    public static List<Path> byPreference(List<Path> models) {
        List<Path> sorted = new ArrayList<>(models);
        sorted.sort((a, b) -> Integer.compare(rank(a), rank(b)));
        return sorted;
    }

    private static int rank(Path p) {
        String n = p.getFileName().toString().toLowerCase().replace(".onnx", "");
        for (int i = 0; i < PREFERRED.size(); i++) if (n.startsWith(PREFERRED.get(i))) return i;
        return PREFERRED.size();
    }

    public static List<Path> onnxIn(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".onnx")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
