package org.segbench.app.ranking;

import java.util.Comparator;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.SortedList;
import javafx.geometry.Pos;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import org.segbench.app.pane.CaptionLabel;
import org.segbench.app.pane.PaneNameCell;
import org.segbench.app.pane.PaneViewModel;

/**
 * The frames worst first: the view-model's order until a column header is clicked (any column
 * sorts). Clicking a frame shows it in the panes.
 */
public final class FrameRankingView extends VBox {
    private final TableView<FrameRow> table = new TableView<>();

    public FrameRankingView(FrameRankingViewModel vm, ObservableList<PaneViewModel> panes) {
        getStyleClass().add("iou-table-box");
        setId("frame-ranking");
        ComboBox<PaneViewModel> pick = PaneNameCell.picker(panes);
        pick.valueProperty().bindBidirectional(vm.paneProperty());
        pick.setTooltip(new Tooltip("The model whose per-frame mIoU ranks the frames"));
        pick.setPrefWidth(180);
        ComboBox<FrameRankingViewModel.RankBy> by = new ComboBox<>(
                FXCollections.observableArrayList(FrameRankingViewModel.RankBy.values()));
        by.valueProperty().bindBidirectional(vm.rankByProperty());
        by.setId("rank-by");
        HBox header = new HBox(6, pick, by);
        header.setAlignment(Pos.CENTER_LEFT);
        Label caption = new CaptionLabel(vm.captionProperty());

        TableColumn<FrameRow, String> name = new TableColumn<>("Frame");
        name.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().name()));
        name.setPrefWidth(150);
        table.getColumns().add(name);
        table.getColumns().add(percent("mIoU %", FrameRow::meanIou, "the chosen model's mIoU on this frame alone"));
        table.getColumns().add(percent("acc. %", FrameRow::accuracy, "its pixel accuracy on this frame"));
        table.getColumns().add(percent("differ %", FrameRow::disagreement, "pixels where the panes do not all agree"));
        SortedList<FrameRow> sorted = new SortedList<>(vm.rows());
        sorted.comparatorProperty().bind(table.comparatorProperty());
        table.setItems(sorted);
        table.setFixedCellSize(22);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("No frames yet"));
        table.setRowFactory(t -> {
            TableRow<FrameRow> row = new TableRow<>();
            row.setOnMouseClicked(e -> {
                if (!row.isEmpty()) vm.jumpTo(row.getItem());
            });
            return row;
        });
        VBox.setVgrow(table, Priority.ALWAYS);
        getChildren().addAll(header, caption, table);
        setSpacing(4);
    }

    public TableView<FrameRow> table() { return table; }

    private static TableColumn<FrameRow, Number> percent(String title, ToDoubleFunction<FrameRow> value, String tip) {
        TableColumn<FrameRow, Number> c = new TableColumn<>();
        Label header = new Label(title);
        header.setTooltip(new Tooltip(tip));
        c.setGraphic(header);
        c.setCellValueFactory(r -> new ReadOnlyObjectWrapper<>(value.applyAsDouble(r.getValue())));
        c.setCellFactory(x -> new TableCell<>() {
            @Override
            protected void updateItem(Number v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty || v == null || Double.isNaN(v.doubleValue()) ? (empty ? null : "–")
                        : String.format(Locale.ROOT, "%.1f", v.doubleValue() * 100));
            }
        });
        // NaN (not scored) sorts as the lowest
        c.setComparator(Comparator.comparingDouble(n -> Double.isNaN(n.doubleValue()) ? -1 : n.doubleValue()));
        c.setPrefWidth(70);
        return c;
    }
}
