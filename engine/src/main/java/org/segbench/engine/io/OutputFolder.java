package org.segbench.engine.io;

import org.segbench.engine.SegbenchException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The folder a batch writes its results into, with the rules that keep a batch from destroying
 * data: it is never an input folder (nor inside one, when inputs are searched recursively), every
 * output of a run gets its own name, and an existing file is only replaced with {@code overwrite}.
 * Writers put each file in place with an atomic rename (see {@link AtomicFiles}), so a killed run
 * never leaves half a file under a final name.
 *
 * <p>Use: {@link #open}, then {@link #claim} every name the run will write (in a fixed order),
 * then {@link #checkFree} once before any work, then write.
 */
public final class OutputFolder {
    private final Path dir;
    private final boolean overwrite;
    private final Set<String> claimed = new HashSet<>();
    private final List<Path> planned = new ArrayList<>();

    private OutputFolder(Path dir, boolean overwrite) {
        this.dir = dir;
        this.overwrite = overwrite;
    }

    /**
     * Checks and creates the folder.
     *
     * @param inputFolders    folders the run reads from; {@code dir} may be none of them
     * @param inputsRecursive the inputs are searched in sub-folders too: then {@code dir} may not be
     *                        inside an input folder either (the next run would read the outputs)
     * @throws SegbenchException naming {@code dir}: a file, an input folder, or not creatable/writable
     */
    public static OutputFolder open(Path dir, boolean overwrite, Collection<Path> inputFolders,
                                    boolean inputsRecursive) throws SegbenchException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new SegbenchException(dir, "is a file, not a folder for the outputs");
        }
        Path real = canonical(dir);
        for (Path in : inputFolders) {
            Path input = canonical(in);
            if (real.equals(input) || inputsRecursive && real.startsWith(input)) {
                throw new SegbenchException(dir, (real.equals(input) ? "is" : "is inside") + " the input folder "
                        + in + ": outputs there would replace or mix with the inputs; choose another folder");
            }
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new SegbenchException(dir, "cannot create the output folder: " + e.getMessage());
        }
        if (!Files.isWritable(dir)) {
            throw new SegbenchException(dir, "output folder is not writable");
        }
        return new OutputFolder(dir, overwrite);
    }

    /** The folder itself. */
    public Path dir() {
        return dir;
    }

    /**
     * Reserves a file name for this run, relative to the folder (sub-folders kept). A name already
     * claimed by this run gets a number before its extension ({@code x.png}, {@code x-2.png}), so
     * two inputs of the same name never write one output.
     */
    public Path claim(String relative) {
        String name = relative.replace('\\', '/');
        int dot = name.lastIndexOf('.');
        int slash = name.lastIndexOf('/');
        String stem = dot > slash ? name.substring(0, dot) : name;
        String ext = dot > slash ? name.substring(dot) : "";
        String candidate = name;
        for (int i = 2; !claimed.add(candidate.toLowerCase(Locale.ROOT)); i++) {
            candidate = stem + "-" + i + ext;
        }
        Path p = dir.resolve(candidate).normalize();
        planned.add(p);
        return p;
    }

    /**
     * Reserves a stem (a name without extension) from which a run derives several outputs
     * ({@code a_mask.png}, {@code a_overlay.png}): a stem used before gets a number.
     */
    public String claimStem(String stem) {
        String candidate = stem;
        for (int i = 2; !claimed.add("stem:" + candidate.toLowerCase(Locale.ROOT)); i++) {
            candidate = stem + "-" + i;
        }
        return candidate;
    }

    /**
     * Fails, before any work, when a claimed file already exists and overwriting was not asked for.
     *
     * @throws SegbenchException naming the first such file and how many there are
     */
    public void checkFree() throws SegbenchException {
        if (overwrite) {
            return;
        }
        List<Path> taken = planned.stream().filter(Files::exists).toList();
        if (!taken.isEmpty()) {
            throw new SegbenchException(taken.get(0), "already exists" + (taken.size() > 1 ? " (and "
                    + (taken.size() - 1) + " more outputs of this run)" : "")
                    + "; give --overwrite to replace, or another output folder");
        }
    }

    /** Fails when one file (claimed after {@link #checkFree}, e.g. a video's) exists without overwrite. */
    public void checkFree(Path file) throws SegbenchException {
        if (!overwrite && Files.exists(file)) {
            throw new SegbenchException(file, "already exists; give --overwrite to replace, or another output folder");
        }
    }

    /** The real path of {@code p}, or of its nearest existing ancestor with the rest appended. */
    private static Path canonical(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return abs;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(abs));
        } catch (IOException e) {
            return abs;
        }
    }
}
