package org.segbench.app.viewport;

import java.nio.IntBuffer;
import java.util.function.BiConsumer;

import javafx.beans.InvalidationListener;
import javafx.geometry.Point2D;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelBuffer;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.Region;
import javafx.scene.shape.Rectangle;

/**
 * A resizable view that shows an image through a shared
 * {@link Viewport}. Gestures (wheel = zoom at cursor, drag = pan, double click = fit) go to the
 * viewport, so every canvas bound to the same viewport moves together.
 * <p>
 * An {@link ImageView} placed and scaled by the viewport rather than a {@code Canvas} redrawn per
 * picture: Prism draws the image's texture straight into the window instead of into the canvas's
 * own texture first, and a video's pictures go into one reused image ({@link #setPixels}), so its
 * texture is updated in place instead of a new one being made for every frame.
 */
public final class ImageCanvas extends Region {
    private final ImageView view = new ImageView();
    private final Viewport viewport;
    private Image base;
    /** The pixels behind {@link #base} when they came through {@link #setPixels}. */
    private PixelBuffer<IntBuffer> pixels;
    private double laidOutW = -1, laidOutH = -1;
    private Point2D dragFrom;
    private BiConsumer<Integer, Integer> hoverListener = (x, y) -> { };

    public ImageCanvas(Viewport viewport) {
        this.viewport = viewport;
        getStyleClass().add("image-canvas");
        view.setManaged(false);
        view.setPreserveRatio(false);
        getChildren().add(view);
        // The background (CSS) shows around the picture; a zoomed picture must not spill out.
        Rectangle clip = new Rectangle();
        clip.widthProperty().bind(widthProperty());
        clip.heightProperty().bind(heightProperty());
        setClip(clip);
        InvalidationListener place = o -> place();
        viewport.zoomProperty().addListener(place);
        viewport.panXProperty().addListener(place);
        viewport.panYProperty().addListener(place);
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
        pixels = null;
        view.setImage(base);
        if (sizeChanged && viewport.isFitMode()) fit();
        place();
    }

    /**
     * Shows ARGB pixels, row by row, each opaque or fully transparent (0), which makes them valid
     * pre-multiplied ARGB as they are: they are copied into the image's buffer without a format
     * conversion. The image is made anew only when the size changes. FX thread.
     */
    public void setPixels(int[] argb, int width, int height) {
        if (pixels == null || pixels.getWidth() != width || pixels.getHeight() != height) {
            PixelBuffer<IntBuffer> fresh = new PixelBuffer<>(width, height, IntBuffer.allocate(width * height),
                    PixelFormat.getIntArgbPreInstance());
            setImage(new WritableImage(fresh));
            pixels = fresh;
        }
        pixels.getBuffer().put(0, argb, 0, width * height);
        pixels.updateBuffer(b -> null);  // null: the whole picture changed
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
        if (laidOutW != w || laidOutH != h) {
            laidOutW = w;
            laidOutH = h;
            if (viewport.isFitMode()) fit();
            place();
        }
    }

    /** Puts the image where the viewport says; setting unchanged values costs nothing. */
    private void place() {
        if (base == null) return;
        double z = viewport.zoom();
        view.setLayoutX(viewport.panX());
        view.setLayoutY(viewport.panY());
        view.setFitWidth(base.getWidth() * z);
        view.setFitHeight(base.getHeight() * z);
        // Nearest-neighbour when magnified so that label boundaries stay crisp pixels.
        view.setSmooth(z < 1);
    }
}
