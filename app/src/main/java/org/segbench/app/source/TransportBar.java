package org.segbench.app.source;

import java.util.Locale;

import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.collections.FXCollections;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.paint.Color;
import javafx.scene.shape.SVGPath;
import javafx.scene.layout.VBox;
import javafx.scene.layout.Region;

/** Play/pause, step, seek slider, loop, and the frame index with its timestamp. */
public final class TransportBar extends HBox {
    public TransportBar(PlayerViewModel player) {
        getStyleClass().add("transport");
        setAlignment(Pos.CENTER_LEFT);
        Button back = button(icon(STEP_BACK), "Step back one frame (Left)", player::stepBack);
        Button play = button(icon(PLAY), "Play / pause (Space)", player::togglePlay);
        play.setId("play");
        SVGPath playIcon = icon(PLAY), pauseIcon = icon(PAUSE);
        play.graphicProperty().bind(Bindings.when(player.playingProperty()).<Node>then(pauseIcon).otherwise(playIcon));
        play.setMinWidth(40);
        Button fwd = button(icon(STEP_FORWARD), "Step forward one frame (Right)", player::stepForward);
        ToggleButton loop = new ToggleButton("⟲ loop");
        loop.selectedProperty().bindBidirectional(player.loopProperty());
        loop.setTooltip(new Tooltip("Start again at the end of a video or folder"));

        Slider seek = new Slider(0, 1, 0);
        seek.setId("seek");
        HBox.setHgrow(seek, Priority.ALWAYS);
        seek.disableProperty().bind(player.seekableProperty().not().or(player.frameCountProperty().lessThan(2)));
        seek.maxProperty().bind(Bindings.createDoubleBinding(() -> (double) Math.max(1, player.frameCountProperty().get() - 1),
                player.frameCountProperty()));
        player.currentProperty().addListener((o, a, f) -> {
            if (f != null && !seek.isValueChanging()) seek.setValue(f.index());
        });
        seek.valueChangingProperty().addListener((o, was, now) -> {
            if (!now) player.seek(Math.round(seek.getValue()));
        });
        seek.setOnMouseReleased(e -> player.seek(Math.round(seek.getValue())));

        Label readout = new Label("no frame");
        readout.setId("frame-readout");
        readout.getStyleClass().add("frame-readout");
        readout.textProperty().bind(Bindings.createStringBinding(() -> describe(player.current()), player.currentProperty()));
        readout.setMinWidth(250);
        getChildren().addAll(back, play, fwd, loop, seek, readout);
        getChildren().add(paceChoice(player));
        setSpacing(8);
    }

    /** Real time (the video's clock, slow panes drop frames) or models set the pace (none dropped). */
    private static ChoiceBox<Pace> paceChoice(PlayerViewModel player) {
        ChoiceBox<Pace> pace = new ChoiceBox<>(FXCollections.observableArrayList(Pace.values()));
        pace.setId("pace");
        pace.valueProperty().bindBidirectional(player.paceProperty());
        pace.setTooltip(new Tooltip("Real time: frames come at the video's rate, a slower pane drops frames.\n"
                + "Models set the pace: the next frame waits for the slowest pane; nothing is dropped,"
                + " FPS is the models' throughput."));
        pace.setFocusTraversable(false);
        return pace;
    }

    static String describe(SourceFrame f) {
        if (f == null) return "no frame";
        String count = f.count() > 0 ? " / " + f.count() : "";
        double s = f.timestampMs() / 1000;
        String name = f.file().map(p -> "  " + p.getFileName()).orElse("");
        return String.format(Locale.ROOT, "frame %d%s  %02d:%06.3f%s", f.index(), count, (int) (s / 60), s % 60, name);
    }

    // Drawn, not font glyphs: the media symbols are missing from common Linux fonts.
    private static final String PLAY = "M0 0 L12 7 L0 14 Z";
    private static final String PAUSE = "M0 0 H4 V14 H0 Z M8 0 H12 V14 H8 Z";
    private static final String STEP_FORWARD = "M0 0 L9 7 L0 14 Z M10 0 H13 V14 H10 Z";
    private static final String STEP_BACK = "M13 0 L4 7 L13 14 Z M0 0 H3 V14 H0 Z";

    private static SVGPath icon(String path) {
        SVGPath p = new SVGPath();
        p.setContent(path);
        p.setFill(Color.web("#dfe2e6"));
        return p;
    }

    private static Button button(SVGPath graphic, String tip, Runnable action) {
        Button b = new Button();
        b.setGraphic(graphic);
        b.setMinWidth(36);
        b.setTooltip(new Tooltip(tip));
        b.setOnAction(e -> action.run());
        b.setFocusTraversable(false);
        return b;
    }

    /** Puts a strip (the disagreement timeline) right under the seek slider, as wide as it. */
    public void putUnderSeek(Region strip) {
        Node seek = lookup("#seek");
        int at = getChildren().indexOf(seek);
        if (at < 0) return;
        VBox column = new VBox(2, seek, strip);
        column.setAlignment(Pos.CENTER);
        HBox.setHgrow(column, Priority.ALWAYS);
        getChildren().add(at, column);
    }
}
