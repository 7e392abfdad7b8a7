package org.segbench.engine.metrics;

import java.util.List;

/** Per-class scores and their summaries, from {@link ConfusionMatrix#report}. */
public record IouReport(List<ClassScore> classes, double meanIou, double pixelAccuracy, double meanClassAccuracy,
                        long frames) {
    public IouReport {
        classes = List.copyOf(classes);
    }
}
