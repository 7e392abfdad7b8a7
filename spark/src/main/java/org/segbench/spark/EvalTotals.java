package org.segbench.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The eval job's rows summed per setting: the confusion matrices, the frames, the timing, and
 * the errors and warnings in input order. Built with {@code treeAggregate} over the rows, so a
 * retried task (its first attempt's rows dropped by Spark) counts exactly once.
 */
final class EvalTotals implements Serializable {
    private final int cells;
    private final long[][] region;
    private final long[][] boundary;
    private final long[] frames;
    private final double[][] timingSums;
    private final long[] timed;
    private final String[] provider;
    private final List<Note> errors = new ArrayList<>();
    private final List<Note> warnings = new ArrayList<>();

    /** An error or warning with where it came from. */
    record Note(int setting, long index, String file, String text) implements Serializable {
    }

    EvalTotals(int settings, int classes) {
        this.cells = classes * (classes + 1);
        region = new long[settings][cells];
        boundary = new long[settings][cells];
        frames = new long[settings];
        timingSums = new double[settings][3];
        timed = new long[settings];
        provider = new String[settings];
    }

    EvalTotals add(EvalRow row) {
        int s = row.setting();
        for (int i = 0; i < row.warnings().length; i++) {
            warnings.add(new Note(s, row.index(), row.warningFiles()[i], row.warnings()[i]));
        }
        if (!row.ok()) {
            errors.add(new Note(s, row.index(), row.image(), row.error()));
            return this;
        }
        if (row.confusion().length != cells) {
            throw new IllegalStateException(row.image() + ": " + row.confusion().length + " counts, expected " + cells);
        }
        for (int i = 0; i < cells; i++) {
            region[s][i] += row.confusion()[i];
            boundary[s][i] += row.boundary()[i];
        }
        frames[s]++;
        provider[s] = row.provider();
        if (!row.burnIn()) {
            timingSums[s][0] += row.preprocessMs();
            timingSums[s][1] += row.inferenceMs();
            timingSums[s][2] += row.postprocessMs();
            timed[s]++;
        }
        return this;
    }

    EvalTotals merge(EvalTotals other) {
        for (int s = 0; s < frames.length; s++) {
            for (int i = 0; i < cells; i++) {
                region[s][i] += other.region[s][i];
                boundary[s][i] += other.boundary[s][i];
            }
            frames[s] += other.frames[s];
            for (int k = 0; k < 3; k++) {
                timingSums[s][k] += other.timingSums[s][k];
            }
            timed[s] += other.timed[s];
            if (provider[s] == null) {
                provider[s] = other.provider[s];
            }
        }
        errors.addAll(other.errors);
        warnings.addAll(other.warnings);
        return this;
    }

    long[] region(int setting) {
        return region[setting].clone();
    }

    long[] boundary(int setting) {
        return boundary[setting].clone();
    }

    long frames(int setting) {
        return frames[setting];
    }

    /** Mean milliseconds of preprocess, inference and postprocess after burn-in; NaN when none was timed. */
    double[] meanTimings(int setting) {
        double[] m = new double[3];
        for (int k = 0; k < 3; k++) {
            m[k] = timed[setting] == 0 ? Double.NaN : timingSums[setting][k] / timed[setting];
        }
        return m;
    }

    String provider(int setting) {
        return provider[setting];
    }

    List<Note> errors(int setting) {
        return ofSetting(errors, setting);
    }

    List<Note> warnings(int setting) {
        return ofSetting(warnings, setting);
    }

    private static List<Note> ofSetting(List<Note> notes, int setting) {
        return notes.stream().filter(n -> n.setting() == setting).sorted(Comparator.comparingLong(Note::index))
                .toList();
    }
}
