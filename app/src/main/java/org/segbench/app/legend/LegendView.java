package org.segbench.app.legend;

import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ColorPicker;
import javafx.scene.control.Tooltip;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.geometry.Pos;

/**
 * A colour button and a tick box per class: untick to hide the class from the overlays, pick
 * another colour to draw it so (remembered per model, used in exports too).
 */
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
            ColorPicker picker = new ColorPicker();
            picker.valueProperty().bindBidirectional(e.colorProperty());
            picker.getStyleClass().addAll(ColorPicker.STYLE_CLASS_BUTTON, "legend-color");
            picker.setStyle("-fx-color-label-visible: false;");
            picker.setTooltip(new Tooltip("Colour of " + e.name() + " (remembered for each open model that has it)"));
            picker.setId("color-" + e.name().replace(' ', '-'));
            CheckBox box = new CheckBox(e.name());
            box.selectedProperty().bindBidirectional(e.visibleProperty());
            box.getStyleClass().add("legend-item");
            HBox item = new HBox(2, picker, box);
            item.setAlignment(Pos.CENTER_LEFT);
            item.setMinWidth(122);
            item.setPrefWidth(122);
            items.getChildren().add(item);
        }
    }
}
