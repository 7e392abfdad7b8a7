package org.segbench.app.pane;

import javafx.collections.ObservableList;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ListCell;

/** A pane in a drop-down list, by {@link PaneViewModel#nameWithId()}. */
public final class PaneNameCell extends ListCell<PaneViewModel> {
    @Override
    protected void updateItem(PaneViewModel item, boolean empty) {
        super.updateItem(item, empty);
        setText(empty || item == null ? null : item.nameWithId());
    }

    /** A drop-down of the panes, each shown by name and id, in the list and on the button. */
    public static ComboBox<PaneViewModel> picker(ObservableList<PaneViewModel> panes) {
        ComboBox<PaneViewModel> box = new ComboBox<>(panes);
        box.setCellFactory(l -> new PaneNameCell());
        box.setButtonCell(new PaneNameCell());
        return box;
    }
}
