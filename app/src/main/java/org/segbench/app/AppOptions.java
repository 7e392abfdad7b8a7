package org.segbench.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Start-up settings from the command line. With no {@code --model}, the bundled models in
 * {@code assets/models/} open (at most four), else the engine's tiny test models, so the app
 * always starts with something to show.
 */
public record AppOptions(Path root, List<Path> models, Path source, Path groundTruth, boolean play, boolean loop,
                         Path snapshot, double quitAfterS) {

    public AppOptions(Path root, List<Path> models, Path source, Path groundTruth, boolean play, boolean loop) {
        this(root, models, source, groundTruth, play, loop, null, 0);
    }

    public static final String USAGE = """
            usage: workbench [--root DIR] [--model FILE.onnx ...] [--source IMAGE|DIR|VIDEO|webcam:N]
                             [--gt DIR|FILE] [--no-play] [--no-loop]
                             [--snapshot FILE.png] [--quit-after SECONDS]
              --snapshot/--quit-after: a smoke test; save the window as PNG after the given
              seconds (default 20), then exit (0 when every pane showed a prediction).
            """;

    public static AppOptions parse(String... args) {
        Path root = Path.of(System.getProperty("segbench.root", ".")).toAbsolutePath().normalize();
        List<Path> models = new ArrayList<>();
        Path source = null, gt = null;
        boolean play = true, loop = true;
        Path snapshot = null;
        double quitAfter = 0;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--root" -> root = Path.of(args[++i]).toAbsolutePath().normalize();
                case "--model" -> models.add(Path.of(args[++i]));
                case "--source" -> source = Path.of(args[++i]);
                case "--gt" -> gt = Path.of(args[++i]);
                case "--no-play" -> play = false;
                case "--no-loop" -> loop = false;
                case "--snapshot" -> snapshot = Path.of(args[++i]);
                case "--quit-after" -> quitAfter = Double.parseDouble(args[++i]);
                case "-h", "--help" -> {
                    System.out.print(USAGE);
                    System.exit(0);
                }
                default -> throw new IllegalArgumentException("unknown argument '" + a + "'\n" + USAGE);
            }
        }
        if (models.isEmpty()) models = defaultModels(root);
        if (source == null) {
            Path video = root.resolve("sample-images/vtest.avi");
            source = Files.isRegularFile(video) ? video : null;
        }
        if (snapshot != null && quitAfter <= 0) quitAfter = 20;
        return new AppOptions(root, List.copyOf(models), source, gt, play, loop, snapshot, quitAfter);
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

    /** Preferred order of the bundled networks: the fastest real-time pair first. */
    private static final List<String> PREFERRED = List.of("fastscnn", "ndnet29", "spssnet", "shelfnet18", "ndnet45", "ndnet61");

    /** Up to two bundled models, Fast-SCNN and NDNet29 when present (see assets/models/README.md). */
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
