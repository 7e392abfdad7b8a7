package org.segbench.engine.metrics;

import org.segbench.engine.LabelSet;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.source.ImageFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Finds image / ground-truth pairs: from a CamVid split list, or by matching file names in two folders. */
public final class EvalPairs {
    private EvalPairs() {
    }

    /**
     * Reads a CamVid {@code train.txt}/{@code val.txt}: one {@code image label} pair per line, paths
     * relative to the list's folder (SegNet's lists may carry an absolute prefix such as
     * {@code /SegNet/CamVid/}: then only the last two path parts are used). When {@code images} /
     * {@code labels} are given, file names are looked up there instead.
     */
    /**
     * One line of a CamVid-style list: {@code {image, label}} as written, or null for a blank line
     * or a {@code #} comment.
     *
     * @throws SegbenchException naming the list and the line when it is not two paths
     */
    public static String[] listLine(Path list, int lineNumber, String text) throws SegbenchException {
        String line = text.strip();
        if (line.isEmpty() || line.startsWith("#")) {
            return null;
        }
        String[] parts = line.split("\\s+");
        if (parts.length != 2) {
            throw new SegbenchException(list, "line " + lineNumber + " is not 'IMAGE LABEL': " + line);
        }
        return parts;
    }

    public static List<EvalPair> fromList(Path list, Path images, Path labels) throws SegbenchException {
        List<String> lines;
        try {
            lines = Files.readAllLines(list);
        } catch (IOException e) {
            throw new SegbenchException(list, "cannot read list: " + e.getMessage());
        }
        Path base = list.toAbsolutePath().getParent();
        List<EvalPair> pairs = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String[] parts = listLine(list, i + 1, lines.get(i));
            if (parts != null) {
                pairs.add(new EvalPair(locate(parts[0], base, images), locate(parts[1], base, labels)));
            }
        }
        if (pairs.isEmpty()) {
            throw new SegbenchException(list, "list has no pairs");
        }
        return pairs;
    }

    private static Path locate(String entry, Path base, Path folder) {
        Path p = Path.of(entry);
        if (folder != null) {
            return folder.resolve(p.getFileName());
        }
        if (p.isAbsolute() && !Files.exists(p)) {
            int n = p.getNameCount();
            p = n >= 2 ? p.subpath(n - 2, n) : p.getFileName();
        }
        return base.resolve(p);
    }

    /**
     * The ground truth of the image at {@code rel}: {@code STEM.png} first, then the image's own
     * name, then the stem with any other image extension; {@code STEM.png} when none exists (then
     * reported as missing when read).
     */
    static Path camvidLabel(Path labels, Path rel) {
        String name = rel.getFileName().toString();
        String stem = name.replaceFirst("\\.[^.]+$", "");
        Path dir = rel.getParent() == null ? labels : labels.resolve(rel.getParent());
        Path png = dir.resolve(stem + ".png");
        if (Files.isRegularFile(png)) {
            return png;
        }
        if (Files.isRegularFile(dir.resolve(name))) {
            return dir.resolve(name);
        }
        for (String ext : ImageFiles.IMAGE_EXTENSIONS.stream().sorted().toList()) {
            Path p = dir.resolve(stem + "." + ext);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return png;
    }

    /**
     * Every image under {@code images} (recursively, sorted) with its ground truth under
     * {@code labels}: for CamVid the same relative path and stem, as PNG when there is one (labels
     * are lossless even when the photos are JPEG), else with the image's own or another image
     * extension; for Cityscapes {@code X_leftImg8bit.png} ->
     * {@code X_gtFine_labelIds.png}, or {@code X_gtFine_color.png} when there are no label ids.
     * A missing ground-truth file is kept in the list and reported when it is read.
     */
    public static List<EvalPair> matchFolders(Path images, Path labels, String dataset) throws SegbenchException {
        if (!Files.isDirectory(images)) {
            throw new SegbenchException(images, "not a folder");
        }
        if (!Files.isDirectory(labels)) {
            throw new SegbenchException(labels, "not a folder");
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(images)) {
            files = s.filter(Files::isRegularFile).filter(ImageFiles::isImage).sorted().toList();
        } catch (IOException e) {
            throw new SegbenchException(images, "cannot list folder: " + e.getMessage());
        }
        boolean cityscapes = LabelSet.CITYSCAPES.equalsIgnoreCase(dataset);
        List<EvalPair> pairs = new ArrayList<>();
        for (Path image : files) {
            Path rel = images.relativize(image);
            if (cityscapes) {
                String stem = rel.getFileName().toString().replaceFirst("_leftImg8bit\\.png$", "");
                Path dir = rel.getParent() == null ? labels : labels.resolve(rel.getParent());
                Path ids = dir.resolve(stem + "_gtFine_labelIds.png");
                Path colour = dir.resolve(stem + "_gtFine_color.png");
                if (stem.equals(rel.getFileName().toString())) {
                    continue; // not a leftImg8bit frame (e.g. a ground-truth file in the same folder)
                }
                pairs.add(new EvalPair(image, Files.exists(ids) || !Files.exists(colour) ? ids : colour));
            } else {
                pairs.add(new EvalPair(image, camvidLabel(labels, rel)));
            }
        }
        if (pairs.isEmpty()) {
            throw new SegbenchException(images, "no images to evaluate");
        }
        return pairs;
    }
}
