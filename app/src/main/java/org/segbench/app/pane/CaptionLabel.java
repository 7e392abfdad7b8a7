package org.segbench.app.pane;

import javafx.beans.value.ObservableValue;
import javafx.scene.control.Label;
import javafx.scene.layout.Region;

/** The wrapping grey line under a side-panel header that says what the view shows. */
public final class CaptionLabel extends Label {
    public CaptionLabel(ObservableValue<String> text) {
        textProperty().bind(text);
        setWrapText(true);
        getStyleClass().add("caption");
        setMinHeight(Region.USE_PREF_SIZE);  // wrapped lines keep their height in a VBox
    }
}
