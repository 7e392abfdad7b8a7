package org.segbench.app.pane;

import java.util.Optional;
import java.util.Set;

import org.segbench.app.source.SourceFrame;
import org.segbench.engine.LabelMap;

/** What a pane draws with besides its own results: the workbench's ground truth and legend. */
public interface ViewContext {
    /** Ground truth of a frame, when attached and found. */
    Optional<LabelMap> groundTruthFor(SourceFrame frame);

    /** Names of the classes the legend hides. */
    Set<String> hiddenClasses();

    /** No ground truth, nothing hidden. */
    ViewContext NONE = new ViewContext() {
        @Override
        public Optional<LabelMap> groundTruthFor(SourceFrame frame) { return Optional.empty(); }

        @Override
        public Set<String> hiddenClasses() { return Set.of(); }
    };
}
