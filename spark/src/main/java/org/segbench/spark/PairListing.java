package org.segbench.spark;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.segbench.engine.LabelSet;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.metrics.EvalPair;
import org.segbench.engine.metrics.EvalPairs;
import org.segbench.engine.source.ImageFiles;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The (image, ground truth) pairs of an evaluation, read on the driver from any Hadoop file
 * system: a CamVid-style list ({@code IMAGE LABEL} per line, relative to the list's folder), a
 * CSV ({@code image,label}, an optional header), or an image folder or glob matched with a label
 * folder. On the local disk the engine's own listing is used, so the pairs are the CLI's.
 */
final class PairListing {
    private PairListing() {
    }

    static List<ImagePair> read(HadoopFiles files, String list, String images, String labels, String dataset)
            throws SegbenchException {
        List<String[]> pairs;
        if (list != null) {
            pairs = list.toLowerCase().endsWith(".csv") ? csv(files, list) : textList(files, list, images, labels);
        } else if (images != null && labels != null) {
            pairs = folders(files, images, labels, dataset);
        } else {
            throw new SegbenchException("give --images and --labels, or --list");
        }
        List<ImagePair> out = new ArrayList<>(pairs.size());
        for (String[] p : pairs) {
            out.add(new ImagePair(out.size(), p[0], p[1]));
        }
        return out;
    }

    private static List<String[]> textList(HadoopFiles files, String list, String images, String labels)
            throws SegbenchException {
        Path qualified = files.qualify(list);
        if (HadoopFiles.isLocal(qualified) && local(files, images) && local(files, labels)) {
            return fromEngine(EvalPairs.fromList(HadoopFiles.local(qualified), localOrNull(files, images),
                    localOrNull(files, labels)));
        }
        Path base = qualified.getParent();
        List<String[]> pairs = new ArrayList<>();
        List<String> lines = lines(files, qualified, list);
        for (int i = 0; i < lines.size(); i++) {
            String[] parts = EvalPairs.listLine(java.nio.file.Path.of(list), i + 1, lines.get(i));
            if (parts != null) {
                pairs.add(new String[] {locate(parts[0], base, images), locate(parts[1], base, labels)});
            }
        }
        if (pairs.isEmpty()) {
            throw new SegbenchException(java.nio.file.Path.of(list), "list has no pairs");
        }
        return pairs;
    }

    /** As the engine: in a given folder by file name; else relative to the list (SegNet's absolute prefix dropped). */
    private static String locate(String entry, Path base, String folder) {
        Path p = new Path(entry);
        if (folder != null) {
            return new Path(folder, p.getName()).toString();
        }
        if (p.isAbsolute()) {
            Path parent = p.getParent();
            return new Path(base, (parent == null ? "" : parent.getName() + "/") + p.getName()).toString();
        }
        return new Path(base, entry).toString();
    }

    private static List<String[]> csv(HadoopFiles files, String list) throws SegbenchException {
        Path qualified = files.qualify(list);
        Path base = qualified.getParent();
        List<String[]> pairs = new ArrayList<>();
        List<String> lines = lines(files, qualified, list);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#") || i == 0 && line.toLowerCase().startsWith("image,")) {
                continue;
            }
            String[] parts = line.split(",");
            if (parts.length != 2) {
                throw new SegbenchException(java.nio.file.Path.of(list), "line " + (i + 1) + " is not 'image,label': " + line);
            }
            pairs.add(new String[] {resolve(base, parts[0].strip()), resolve(base, parts[1].strip())});
        }
        if (pairs.isEmpty()) {
            throw new SegbenchException(java.nio.file.Path.of(list), "list has no pairs");
        }
        return pairs;
    }

    private static String resolve(Path base, String entry) {
        Path p = new Path(entry);
        return p.isAbsolute() || p.toUri().getScheme() != null ? entry : new Path(base, entry).toString();
    }

    /**
     * Images in a folder (recursively) or matching a glob, each with the label of the same stem in
     * the label folder: {@code STEM.png} for CamVid, {@code X_gtFine_labelIds.png} for a
     * Cityscapes {@code X_leftImg8bit.png}.
     */
    private static List<String[]> folders(HadoopFiles files, String images, String labels, String dataset)
            throws SegbenchException {
        boolean glob = images.matches(".*[*?\\[{].*");
        if (!glob && local(files, images) && local(files, labels)) {
            return fromEngine(EvalPairs.matchFolders(localOrNull(files, images), localOrNull(files, labels), dataset));
        }
        boolean cityscapes = LabelSet.CITYSCAPES.equalsIgnoreCase(dataset);
        String root = glob ? null : files.qualify(images).toUri().getPath();
        List<String[]> pairs = new ArrayList<>();
        for (Path image : listImages(files, images, glob)) {
            String name = image.getName();
            String label;
            if (cityscapes) {
                if (!name.endsWith("_leftImg8bit.png")) {
                    continue;
                }
                label = name.replaceFirst("_leftImg8bit\\.png$", "_gtFine_labelIds.png");
            } else {
                label = name.replaceFirst("\\.[^.]+$", "") + ".png";
            }
            // a folder keeps its sub-folders (Cityscapes' cities) on the label side; a glob matches by name
            String dir = "";
            String path = image.toUri().getPath();
            if (root != null && path.startsWith(root + "/")) {
                String rel = path.substring(root.length() + 1);
                dir = rel.contains("/") ? rel.substring(0, rel.lastIndexOf('/') + 1) : "";
            }
            pairs.add(new String[] {image.toString(), new Path(labels, dir + label).toString()});
        }
        if (pairs.isEmpty()) {
            throw new SegbenchException(java.nio.file.Path.of(images), "no images to evaluate");
        }
        return pairs;
    }

    private static List<Path> listImages(HadoopFiles files, String images, boolean glob) throws SegbenchException {
        List<Path> found = new ArrayList<>();
        try {
            Path p = files.qualify(images);
            FileSystem fs = files.fileSystem(p);
            if (glob) {
                FileStatus[] matches = fs.globStatus(p);
                for (FileStatus s : matches == null ? new FileStatus[0] : matches) {
                    if (s.isFile() && ImageFiles.isImage(java.nio.file.Path.of(s.getPath().getName()))) {
                        found.add(s.getPath());
                    }
                }
            } else {
                RemoteIterator<LocatedFileStatus> it = fs.listFiles(p, true);
                while (it.hasNext()) {
                    Path f = it.next().getPath();
                    if (ImageFiles.isImage(java.nio.file.Path.of(f.getName()))) {
                        found.add(f);
                    }
                }
            }
        } catch (IOException e) {
            throw new SegbenchException(java.nio.file.Path.of(images), "cannot list: " + e.getMessage());
        }
        found.sort(null);
        return found;
    }

    private static List<String> lines(HadoopFiles files, Path qualified, String name) throws SegbenchException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(files.fileSystem(qualified).open(qualified),
                StandardCharsets.UTF_8))) {
            return r.lines().toList();
        } catch (IOException e) {
            throw new SegbenchException(java.nio.file.Path.of(name), "cannot read list: " + e.getMessage());
        }
    }

    private static boolean local(HadoopFiles files, String path) throws SegbenchException {
        return path == null || HadoopFiles.isLocal(files.qualify(path));
    }

    private static java.nio.file.Path localOrNull(HadoopFiles files, String path) throws SegbenchException {
        return path == null ? null : HadoopFiles.local(files.qualify(path));
    }

    private static List<String[]> fromEngine(List<EvalPair> pairs) {
        return pairs.stream().map(p -> new String[] {p.image().toString(), p.label().toString()}).toList();
    }
}
