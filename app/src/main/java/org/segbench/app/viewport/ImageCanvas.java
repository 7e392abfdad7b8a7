package org.segbench.app.viewport;

import java.util.function.BiConsumer;

import javafx.beans.InvalidationListener;
import javafx.geometry.Point2D;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.Image;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;

/**
 * A resizable canvas that draws an image through a shared
 * {@link Viewport}. Gestures (wheel = zoom at cursor, drag = pan, double click = fit) go to the
 * viewport, so every canvas bound to the same viewport moves together.
 */
public final class ImageCanvas extends Region {
    private final Canvas canvas = new Canvas();
    private final Viewport viewport;
    private Image base;
    private Point2D dragFrom;
    private BiConsumer<Integer, Integer> hoverListener = (x, y) -> { };

    public ImageCanvas(Viewport viewport) {
        this.viewport = viewport;
        getStyleClass().add("image-canvas");
        getChildren().add(canvas);
        InvalidationListener redraw = o -> redraw();
        viewport.zoomProperty().addListener(redraw);
        viewport.panXProperty().addListener(redraw);
        viewport.panYProperty().addListener(redraw);
        setMinSize(80, 60);

        setOnScroll(e -> {
            if (e.getDeltaY() == 0) return;
            viewport.zoomAt(e.getDeltaY() > 0 ? 1.15 : 1 / 1.15, e.getX(), e.getY());
            e.consume();
        });
        setOnMousePressed(e -> {
            if (e.getButton() == MouseButton.PRIMARY) dragFrom = new Point2D(e.getX(), e.getY());
        });
        setOnMouseDragged(e -> {
            if (dragFrom == null) return;
            viewport.panBy(e.getX() - dragFrom.getX(), e.getY() - dragFrom.getY());
            dragFrom = new Point2D(e.getX(), e.getY());
        });
        setOnMouseReleased(e -> dragFrom = null);
        setOnMouseClicked(e -> {
            if (e.getClickCount() == 2) fit();
        });
        setOnMouseMoved(e -> hoverListener.accept(
                (int) Math.floor(viewport.toImageX(e.getX())), (int) Math.floor(viewport.toImageY(e.getY()))));
        setOnMouseExited(e -> hoverListener.accept(-1, -1));
    }

    /** Called with image pixel coordinates under the cursor, or (-1, -1) when it leaves. */
    public void setOnHover(BiConsumer<Integer, Integer> listener) { this.hoverListener = listener; }

    public void setImage(Image base) {
        boolean sizeChanged = this.base == null || base == null
                || this.base.getWidth() != base.getWidth() || this.base.getHeight() != base.getHeight();
        this.base = base;
        if (sizeChanged && viewport.isFitMode()) fit();
        redraw();
    }

    public Image image() { return base; }

    public void fit() {
        if (base != null) viewport.fit(getWidth(), getHeight(), base.getWidth(), base.getHeight());
        else viewport.requestFit();
    }

    public void oneToOne() {
        if (base != null) viewport.oneToOne(getWidth(), getHeight(), base.getWidth(), base.getHeight());
    }

    @Override
    protected void layoutChildren() {
        double w = snapSizeX(getWidth()), h = snapSizeY(getHeight());
        if (canvas.getWidth() != w || canvas.getHeight() != h) {
            canvas.setWidth(w);
            canvas.setHeight(h);
            if (viewport.isFitMode()) fit();
            redraw();
        }
    }

    private void redraw() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        double w = canvas.getWidth(), h = canvas.getHeight();
        g.setFill(Color.web("#15171a"));
        g.fillRect(0, 0, w, h);
        if (base == null) return;
        double z = viewport.zoom();
        double x = viewport.panX(), y = viewport.panY();
        double iw = base.getWidth() * z, ih = base.getHeight() * z;
        // Nearest-neighbour when magnified so that label boundaries stay crisp pixels.
        g.setImageSmoothing(z < 1);
        g.drawImage(base, x, y, iw, ih);
    }
}
