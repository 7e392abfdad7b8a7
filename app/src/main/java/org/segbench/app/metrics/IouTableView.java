package org.segbench.app.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.css.PseudoClass;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Rectangle;
import javafx.scene.text.TextAlignment;
import java.util.function.ToDoubleFunction;

/**
 * The per-class IoU table. Sortable by any column; summary rows (mIoU, pixel accuracy) stay at
 * the bottom whatever the sort, because they are not classes.
 */
public final class IouTableView extends VBox {
    private static final PseudoClass SUMMARY = PseudoClass.getPseudoClass("summary");

    private final IouTableViewModel vm;
    private final TableView<IouRow> table = new TableView<>();
    private final ObservableList<IouRow> shown = FXCollections.observableArrayList();

    public IouTableView(IouTableViewModel vm) {
        this.vm = vm;
        getStyleClass().add("iou-table-box");
        Label caption = new Label();
        caption.textProperty().bind(vm.captionProperty());
        caption.setWrapText(true);
        caption.getStyleClass().add("caption");
        caption.setMinHeight(Region.USE_PREF_SIZE);
        table.setItems(shown);
        table.getStyleClass().add("iou-table");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        Label placeholder = new Label("No IoU yet.\nAttach ground truth (Numbers ▸ Attach…),\nor add a second model to compare with.");
        placeholder.getStyleClass().add("caption");
        placeholder.setTextAlignment(TextAlignment.CENTER);
        table.setPlaceholder(placeholder);
        table.setFixedCellSize(22);
        table.setSortPolicy(t -> {
            sortKeepingSummaryLast();
            return true;
        });
        table.setRowFactory(t -> new TableRow<>() {
            @Override
            protected void updateItem(IouRow item, boolean empty) {
                super.updateItem(item, empty);
                pseudoClassStateChanged(SUMMARY, item != null && item.summary());
            }
        });
        VBox.setVgrow(table, Priority.ALWAYS);
        CheckBox boundary = new CheckBox("Boundary IoU columns (" + IouAccumulator.BOUNDARY_PX + " px band)");
        boundary.setId("boundary-toggle");
        boundary.getStyleClass().add("caption");
        boundary.selectedProperty().bindBidirectional(vm.showBoundaryProperty());
        boundary.setTooltip(new Tooltip("IoU counted only on pixels within " + IouAccumulator.BOUNDARY_PX
                + " px of a ground-truth class edge (docs/boundary-iou.md)"));
        getChildren().addAll(caption, boundary, table);
        setSpacing(4);
        vm.structureRevisionProperty().addListener(o -> rebuildColumns());
        vm.rows().addListener((ListChangeListener<IouRow>) c -> sortKeepingSummaryLast());
        rebuildColumns();
    }

    public TableView<IouRow> table() { return table; }

    private void rebuildColumns() {
        List<TableColumn<IouRow, ?>> cols = new ArrayList<>();
        TableColumn<IouRow, String> name = new TableColumn<>("Class");
        name.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().name()));
        name.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                IouRow row = empty ? null : getTableRow().getItem();
                setText(empty ? null : item);
                setGraphic(row == null || row.color() == null ? null : new Rectangle(10, 10, row.color()));
            }
        });
        name.setPrefWidth(105);
        name.setMinWidth(72);
        name.setMaxWidth(130);
        cols.add(name);
        for (int i = 0; i < vm.columns().size(); i++) {
            final int col = i;
            TableColumn<IouRow, Number> c = new TableColumn<>();
            // A label as the header so the full model name is one hover away when truncated.
            Label header = new Label(vm.columns().get(i));
            header.setTooltip(new Tooltip(vm.columns().get(i)));
            c.setGraphic(header);
            c.setCellValueFactory(r -> new ReadOnlyObjectWrapper<>(r.getValue().value(col)));
            c.setCellFactory(x -> new IouBarCell(false));
            c.setComparator(Comparator.comparingDouble(n -> Double.isNaN(n.doubleValue()) ? -1 : n.doubleValue()));
            // narrow enough that the ablation's seven columns (boundary and deltas) fit the side panel
            c.setMinWidth(vm.showBoundaryProperty().get() ? 46 : 70);
            cols.add(c);
        }
        boolean band = vm.showBoundaryProperty().get();
        if (band) {
            for (int i = 0; i < vm.columns().size(); i++) {
                final int col = i;
                TableColumn<IouRow, Number> c = new TableColumn<>();
                Label header = new Label("∂ " + vm.columns().get(i));
                header.setTooltip(new Tooltip("Boundary IoU, " + vm.columns().get(i) + ": only pixels within "
                        + IouAccumulator.BOUNDARY_PX + " px of a ground-truth edge"));
                c.setGraphic(header);
                c.setCellValueFactory(r -> new ReadOnlyObjectWrapper<>(r.getValue().boundaryValue(col)));
                c.setCellFactory(x -> new IouBarCell(false));
                c.setComparator(Comparator.comparingDouble(n -> Double.isNaN(n.doubleValue()) ? -1 : n.doubleValue()));
                c.setMinWidth(46);
                cols.add(c);
            }
        }
        if (vm.hasDelta()) {
            int a = vm.deltaAProperty().get(), b = vm.deltaBProperty().get();
            cols.add(deltaColumn("Δ", r -> r.value(a) - r.value(b)));
            if (band) {
                cols.add(deltaColumn("Δ∂", r -> r.boundaryValue(a) - r.boundaryValue(b)));
            }
        }
        table.getSortOrder().clear();
        table.getColumns().setAll(cols);
        sortKeepingSummaryLast();
    }

    private static TableColumn<IouRow, Number> deltaColumn(String title, ToDoubleFunction<IouRow> value) {
        TableColumn<IouRow, Number> d = new TableColumn<>(title);
        d.setCellValueFactory(r -> new ReadOnlyObjectWrapper<>(value.applyAsDouble(r.getValue())));
        d.setCellFactory(x -> new IouBarCell(true));
        d.setComparator(Comparator.comparingDouble(n -> Double.isNaN(n.doubleValue()) ? 0 : n.doubleValue()));
        d.setMinWidth(46);
        return d;
    }

    @SuppressWarnings("unchecked")
    private void sortKeepingSummaryLast() {
        List<IouRow> classes = new ArrayList<>(), summary = new ArrayList<>();
        for (IouRow r : vm.rows()) (r.summary() ? summary : classes).add(r);
        if (!table.getSortOrder().isEmpty()) {
            TableColumn<IouRow, ?> col = table.getSortOrder().get(0);
            Comparator<Object> byValue = (Comparator<Object>) col.getComparator();
            Comparator<IouRow> cmp = (x, y) -> byValue.compare(col.getCellData(x), col.getCellData(y));
            if (col.getSortType() == TableColumn.SortType.DESCENDING) cmp = cmp.reversed();
            classes.sort(cmp);
        }
        classes.addAll(summary);
        shown.setAll(classes);
    }
}
