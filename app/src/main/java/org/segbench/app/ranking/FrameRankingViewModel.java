package org.segbench.app.ranking;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;

import org.segbench.app.metrics.IouScoringViewModel;
import org.segbench.app.pane.PaneViewModel;
import org.segbench.app.timeline.DisagreementTimelineViewModel;
import org.segbench.app.timeline.FrameDisagreement;
import org.segbench.app.workspace.Workspace;
import org.segbench.engine.metrics.ConfusionMatrix;

/**
 * Frames ranked worst first, to find what to look at in a folder of 233: by the chosen model's
 * mIoU on each frame (from the IoU scoring's per-frame counts, so after "Evaluate whole folder" or
 * while a labelled folder plays), or by how much the panes disagree (which needs no ground truth).
 * Choosing a row jumps the player to that frame. FX thread.
 */
public final class FrameRankingViewModel {
    /** What "worst" means. */
    public enum RankBy {
        MEAN_IOU("lowest mIoU first"),
        DISAGREEMENT("most disagreement first");

        private final String label;

        RankBy(String label) { this.label = label; }

        @Override
        public String toString() { return label; }
    }

    private final IouScoringViewModel scoring;
    private final DisagreementTimelineViewModel timeline;
    private final Consumer<FrameRow> jump;
    private final ObjectProperty<PaneViewModel> pane = new SimpleObjectProperty<>();
    private final ObjectProperty<RankBy> rankBy = new SimpleObjectProperty<>(RankBy.MEAN_IOU);
    private final ObservableList<FrameRow> rows = FXCollections.observableArrayList();
    private final StringProperty caption = new SimpleStringProperty("");
    private final BooleanProperty active = new SimpleBooleanProperty(true);
    private boolean stale;

    /** @param jump shows a frame (the workbench seeks the player to it) */
    public FrameRankingViewModel(Workspace ws, IouScoringViewModel scoring, DisagreementTimelineViewModel timeline,
                                 Consumer<FrameRow> jump) {
        this.scoring = scoring;
        this.timeline = timeline;
        this.jump = jump;
        scoring.revisionProperty().addListener(o -> changed());
        timeline.revisionProperty().addListener(o -> changed());
        pane.addListener(o -> changed());
        rankBy.addListener(o -> changed());
        active.addListener((o, was, now) -> {
            if (now && stale) refresh();
        });
        ws.panes().addListener((ListChangeListener<PaneViewModel>) c -> {
            if (pane.get() == null || !ws.panes().contains(pane.get())) {
                pane.set(ws.panes().isEmpty() ? null : ws.panes().get(0));
            }
        });
        if (!ws.panes().isEmpty()) pane.set(ws.panes().get(0));
    }

    /** The model whose per-frame mIoU ranks the frames. */
    public ObjectProperty<PaneViewModel> paneProperty() { return pane; }
    public ObjectProperty<RankBy> rankByProperty() { return rankBy; }
    /** The frames, worst first. */
    public ObservableList<FrameRow> rows() { return rows; }
    public StringProperty captionProperty() { return caption; }
    /**
     * Whether anyone looks at the list: while false, changes only mark it stale (a playing video
     * changes the counts many times a second).
     */
    public BooleanProperty activeProperty() { return active; }

    private void changed() {
        if (active.get()) refresh(); else stale = true;
    }

    /** Rebuilds the list from the per-frame counts and disagreements. */
    public void refresh() {
        stale = false;
        PaneViewModel p = pane.get();
        Map<String, ConfusionMatrix> scored = p == null ? Map.of() : scoring.frameMatrices(p);
        Map<String, FrameRow> byKey = new LinkedHashMap<>();
        for (var e : scored.entrySet()) {
            FrameDisagreement d = timeline.frame(e.getKey());
            byKey.put(e.getKey(), new FrameRow(e.getKey(), nameOf(e.getKey(), d), d == null ? -1 : d.index(),
                    e.getValue().meanIou(), e.getValue().pixelAccuracy(), d == null ? Double.NaN : d.share()));
        }
        for (FrameDisagreement d : timeline.frames()) {
            byKey.putIfAbsent(d.key(), new FrameRow(d.key(), nameOf(d.key(), d), d.index(), Double.NaN, Double.NaN, d.share()));
        }
        List<FrameRow> list = new ArrayList<>(byKey.values());
        list.sort(order(rankBy.get()));
        rows.setAll(list);
        long withIou = list.stream().filter(r -> !Double.isNaN(r.meanIou())).count();
        long withDisagreement = list.stream().filter(r -> !Double.isNaN(r.disagreement())).count();
        caption.set(list.isEmpty() ? "No frames yet: evaluate the folder, play a labelled folder, or play with two panes."
                : list.size() + " frames · " + withIou + " with mIoU" + (p == null ? "" : " of " + p.nameWithId())
                + " · " + withDisagreement + " with disagreement · " + rankBy.get() + " · click a frame to show it");
    }

    /** Worst first; frames without the value go last. */
    static Comparator<FrameRow> order(RankBy by) {
        Comparator<FrameRow> worst = by == RankBy.MEAN_IOU
                ? Comparator.comparingDouble(FrameRow::meanIou)
                : Comparator.comparingDouble(FrameRow::disagreement).reversed();
        return Comparator.<FrameRow, Boolean>comparing(r -> Double.isNaN(by == RankBy.MEAN_IOU ? r.meanIou() : r.disagreement()))
                .thenComparing(worst);
    }

    /** Shows a frame of the list. */
    public void jumpTo(FrameRow row) {
        if (row != null) jump.accept(row);
    }

    private static String nameOf(String key, FrameDisagreement d) {
        if (key.contains("#") && d != null && d.index() >= 0) return "frame " + d.index();
        try {
            Path p = Path.of(key);
            return p.getFileName() == null ? key : p.getFileName().toString();
        } catch (RuntimeException notAPath) {
            return key;
        }
    }
}
