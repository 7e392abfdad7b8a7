package org.segbench.app.pane;

import javafx.scene.control.ListCell;

/** A pane in a drop-down list, by {@link PaneViewModel#nameWithId()}. */
public final class PaneNameCell extends ListCell<PaneViewModel> {
    @Override
    protected void updateItem(PaneViewModel item, boolean empty) {
        super.updateItem(item, empty);
        setText(empty || item == null ? null : item.nameWithId());
    }
}
