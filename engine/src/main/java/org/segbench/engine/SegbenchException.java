package org.segbench.engine;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The one checked failure of the engine: which file (if any) and a one-line problem.
 * {@link #getMessage()} reads {@code "FILE: problem"}, ready to show to a user as is.
 */
public class SegbenchException extends Exception {
    private final Path file;
    private final String problem;

    public SegbenchException(Path file, String problem) {
        this(file, problem, null);
    }

    public SegbenchException(Path file, String problem, Throwable cause) {
        super(file == null ? problem : file + ": " + problem, cause);
        this.file = file;
        this.problem = problem;
    }

    public SegbenchException(String problem) {
        this(null, problem, null);
    }

    /** The file the problem is about, when there is one. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** The problem alone, without the file name. */
    public String problem() {
        return problem;
    }
}
