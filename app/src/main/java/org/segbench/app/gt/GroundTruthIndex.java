package org.segbench.app.gt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.segbench.app.source.SourceFrame;
import org.segbench.engine.LabelMap;
import org.segbench.engine.LabelSet;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.metrics.GroundTruthFormat;

/**
 * Finds the ground truth of a frame by file name. A folder is read as CamVid (label PNGs named like
 * the images, e.g. {@code valannot/}) or Cityscapes ({@code *_gtFine_labelIds.png} or
 * {@code *_gtFine_color.png}, anywhere below), decided by the names found; a single file is the
 * ground truth of whatever frame is shown.
 */
public final class GroundTruthIndex {
    private static final String LEFT = "_leftImg8bit";

    private final Path root;
    private final GroundTruthFormat format;
    private final Map<String, Path> byStem;
    private final Path single;
    private final Map<Path, LabelMap> cache = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, LabelMap> e) { return size() > 16; }
    };

    private GroundTruthIndex(Path root, GroundTruthFormat format, Map<String, Path> byStem, Path single) {
        this.root = root;
        this.format = format;
        this.byStem = byStem;
        this.single = single;
    }

    /** Opens a label folder or a single label file. */
    public static GroundTruthIndex open(Path path) throws SegbenchException {
        if (Files.isRegularFile(path)) {
            return new GroundTruthIndex(path, GroundTruthFormat.detect(path), Map.of(), path);
        }
        if (!Files.isDirectory(path)) throw new SegbenchException(path, "no such ground-truth file or folder");
        Map<String, Path> labelIds = new HashMap<>(), colours = new HashMap<>(), plain = new HashMap<>();
        try (Stream<Path> s = Files.walk(path, 4)) {
            s.filter(Files::isRegularFile).filter(p -> p.toString().toLowerCase().endsWith(".png")).forEach(p -> {
                String n = p.getFileName().toString();
                if (n.endsWith("_gtFine_labelIds.png")) labelIds.put(n.substring(0, n.length() - "_gtFine_labelIds.png".length()), p);
                else if (n.endsWith("_gtFine_color.png")) colours.put(n.substring(0, n.length() - "_gtFine_color.png".length()), p);
                else if (!n.contains("_gtFine_")) plain.put(stem(n), p);
            });
        } catch (IOException e) {
            throw new SegbenchException(path, "cannot read folder: " + e.getMessage());
        }
        if (!labelIds.isEmpty()) return new GroundTruthIndex(path, GroundTruthFormat.CITYSCAPES_LABEL_IDS, labelIds, null);
        if (!colours.isEmpty()) return new GroundTruthIndex(path, GroundTruthFormat.CITYSCAPES_COLOR, colours, null);
        if (!plain.isEmpty()) return new GroundTruthIndex(path, GroundTruthFormat.CAMVID, plain, null);
        throw new SegbenchException(path, "no label PNGs found (expected CamVid label PNGs or Cityscapes *_gtFine_labelIds.png / *_gtFine_color.png)");
    }

    /**
     * Ground truth that sits beside an image source by the datasets' own layouts: CamVid
     * {@code val/} -> {@code valannot/}; Cityscapes {@code X_leftImg8bit.png} -> {@code X_gtFine_*.png}
     * in the same folder.
     */
    public static Optional<Path> besideSource(Path source) {
        Path dir = Files.isDirectory(source) ? source : source.getParent();
        if (dir == null) return Optional.empty();
        Path annot = dir.resolveSibling(dir.getFileName() + "annot");
        if (Files.isDirectory(annot)) return Optional.of(annot);
        if (Files.isDirectory(source)) {
            try (Stream<Path> s = Files.list(source)) {
                if (s.anyMatch(p -> p.getFileName().toString().contains("_gtFine_"))) return Optional.of(source);
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        if (Files.isRegularFile(source) && source.getFileName().toString().contains(LEFT)) {
            String prefix = source.getFileName().toString().replaceFirst(LEFT + ".*$", "");
            for (String suffix : new String[] {"_gtFine_labelIds.png", "_gtFine_color.png"}) {
                Path p = dir.resolve(prefix + suffix);
                if (Files.isRegularFile(p)) return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    public Path root() { return root; }
    public GroundTruthFormat format() { return format; }
    public LabelSet labelSet() { return format.labelSet(); }
    public boolean isSingleFile() { return single != null; }
    public int size() { return single != null ? 1 : byStem.size(); }

    /** The label file for a frame, if there is one. */
    public Optional<Path> fileFor(SourceFrame frame) {
        if (single != null) return Optional.of(single);
        return frame.file().map(f -> {
            String s = stem(f.getFileName().toString());
            if (s.endsWith(LEFT)) s = s.substring(0, s.length() - LEFT.length());
            return byStem.get(s);
        });
    }

    /** Reads (and caches) the ground truth of a frame. */
    public Optional<LabelMap> read(SourceFrame frame) throws SegbenchException {
        Optional<Path> f = fileFor(frame);
        if (f.isEmpty()) return Optional.empty();
        synchronized (cache) {
            LabelMap m = cache.get(f.get());
            if (m != null) return Optional.of(m);
        }
        LabelMap m = format.read(f.get());
        synchronized (cache) { cache.put(f.get(), m); }
        return Optional.of(m);
    }

    /** For drawing: the ground truth, or empty when there is none or it cannot be read (scoring reports that). */
    public Optional<LabelMap> readIfReadable(SourceFrame frame) {
        try {
            return read(frame);
        } catch (SegbenchException e) {
            return Optional.empty();
        }
    }

    /** Label file for an image path (folder evaluation). */
    public Optional<Path> fileFor(Path image) {
        if (single != null) return Optional.of(single);
        String s = stem(image.getFileName().toString());
        if (s.endsWith(LEFT)) s = s.substring(0, s.length() - LEFT.length());
        return Optional.ofNullable(byStem.get(s));
    }

    private static String stem(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    public String describe() {
        return (single != null ? single.getFileName().toString() : root.getFileName() + "/ (" + byStem.size() + " labels)")
                + ", " + switch (format) {
                    case CAMVID -> "CamVid";
                    case CITYSCAPES_LABEL_IDS -> "Cityscapes labelIds";
                    case CITYSCAPES_COLOR -> "Cityscapes colour";
                };
    }
}
