package org.segbench.app.legend;

import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Rectangle;

/** Colour swatches with a tick box per class: untick to hide the class from the overlays. */
public final class LegendView extends VBox {
    private final FlowPane items = new FlowPane(6, 3);

    public LegendView(LegendViewModel vm) {
        getStyleClass().addAll("legend", "side-section");
        Label title = new Label("Legend");
        title.getStyleClass().add("section-title");
        Button all = new Button("Show all");
        all.getStyleClass().add("small-button");
        all.setOnAction(e -> vm.showAll());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox header = new HBox(6, title, spacer, all);
        items.setPadding(new Insets(4, 0, 0, 0));
        items.setPrefWrapLength(380);
        ScrollPane scroll = new ScrollPane(items);
        scroll.setFitToWidth(true);
        scroll.setPrefViewportHeight(112);
        scroll.getStyleClass().add("legend-scroll");
        getChildren().addAll(header, scroll);
        setSpacing(4);
        vm.entries().addListener((ListChangeListener<LegendEntry>) c -> rebuild(vm));
        rebuild(vm);
    }

    private void rebuild(LegendViewModel vm) {
        items.getChildren().clear();
        for (LegendEntry e : vm.entries()) {
            Rectangle swatch = new Rectangle(12, 12, e.color());
            swatch.getStyleClass().add("swatch");
            CheckBox box = new CheckBox(e.name());
            box.selectedProperty().bindBidirectional(e.visibleProperty());
            box.setGraphic(swatch);
            box.getStyleClass().add("legend-item");
            box.setMinWidth(122);
            box.setPrefWidth(122);
            items.getChildren().add(box);
        }
    }
}
