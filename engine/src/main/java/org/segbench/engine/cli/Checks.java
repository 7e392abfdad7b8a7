package org.segbench.engine.cli;

import org.segbench.engine.SegbenchException;
import org.segbench.engine.source.ImageFiles;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks the commands run on their options before any work: a bad number is a usage error (exit
 * 2, one line and the usage), a bad file a one-line error naming it (exit 1). Either way nothing
 * has been computed yet, so nothing is lost and no error repeats once per item.
 */
final class Checks {
    private Checks() {
    }

    static void atLeast(CommandSpec spec, String option, long value, long min) {
        if (value < min) {
            throw new ParameterException(spec.commandLine(), option + " " + value + ": must be at least " + min);
        }
    }

    static void fraction(CommandSpec spec, String option, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new ParameterException(spec.commandLine(), option + " " + value + ": must be between 0 and 1");
        }
    }

    /** A model argument: a readable regular file (not a folder, FIFO or dangling link). */
    static void modelFile(Path model) throws SegbenchException {
        if (Files.isDirectory(model)) {
            throw new SegbenchException(model, "is a folder, not an ONNX model file");
        }
        if (!Files.exists(model) && !Files.isSymbolicLink(model)) {
            throw new SegbenchException(model, "no such model file");
        }
        ImageFiles.checkReadable(model);
    }

    /**
     * A file the command will write at the end (a JSON summary): checked now, so an unwritable
     * path fails before the work rather than after it.
     */
    static void writableFile(Path file) throws SegbenchException {
        if (Files.isDirectory(file)) {
            throw new SegbenchException(file, "is a folder; give a file name for the JSON");
        }
        if (Files.exists(file) && !Files.isWritable(file)) {
            throw new SegbenchException(file, "not writable");
        }
        Path parent = file.toAbsolutePath().getParent();
        while (parent != null && !Files.exists(parent)) {
            parent = parent.getParent();
        }
        if (parent == null || !Files.isDirectory(parent)) {
            throw new SegbenchException(file, "cannot be created: " + parent + " is not a folder");
        }
        if (!Files.isWritable(parent)) {
            throw new SegbenchException(file, "cannot be created: folder " + parent + " is not writable");
        }
    }
}
