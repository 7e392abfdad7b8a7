package org.segbench.app.testing;

import java.util.Optional;
import java.util.Set;

import javafx.beans.property.ObjectProperty;

import org.segbench.app.gt.GroundTruthIndex;
import org.segbench.app.pane.ViewContext;
import org.segbench.app.source.SourceFrame;
import org.segbench.engine.LabelMap;

/** Panes draw with the test workbench's ground truth, as they do with the real workbench's. */
public record GroundTruthContext(ObjectProperty<GroundTruthIndex> groundTruth) implements ViewContext {
    @Override
    public Optional<LabelMap> groundTruthFor(SourceFrame frame) {
        GroundTruthIndex gt = groundTruth.get();
        return gt == null ? Optional.empty() : gt.readIfReadable(frame);
    }

    @Override
    public Set<String> hiddenClasses() { return Set.of(); }
}
