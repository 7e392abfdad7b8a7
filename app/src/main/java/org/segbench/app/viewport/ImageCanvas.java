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
    /** The last picture given to {@link #setPixels}, at its own size; null for {@link #setImage}. */
    private int[] picture;
    private int pictureW;
    private int pictureH;
    /** Zoom the shown pixels were resampled for (1: shown as given, Prism scales them). */
    private double shownZoom = Double.NaN;
    private final PictureScaler scaler = new PictureScaler();
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
        picture = null;
        show(base);
    }

    private void show(Image image) {
        boolean sizeChanged = this.base == null || image == null
                || this.base.getWidth() != image.getWidth() || this.base.getHeight() != image.getHeight();
        this.base = image;
        pixels = null;
        view.setImage(image);
        if (sizeChanged && viewport.isFitMode() && picture == null) fit();
        place();
    }

    /**
     * Shows ARGB pixels, row by row, each opaque or fully transparent (0), which makes them valid
     * pre-multiplied ARGB as they are: they go into the image's buffer without a format
     * conversion. Up to {@link #RESAMPLE_UP_TO} times magnified, or shrunk, they are first
     * resampled to their size on screen ({@link PictureScaler}), so that the renderer copies them
     * one to one; further in, the renderer magnifies the image itself. The image is made anew only
     * when its size changes. FX thread.
     */
    public void setPixels(int[] argb, int width, int height) {
        boolean sizeChanged = picture == null || pictureW != width || pictureH != height;
        picture = argb;
        pictureW = width;
        pictureH = height;
        if (sizeChanged && viewport.isFitMode() && getWidth() > 0) {
            viewport.fit(getWidth(), getHeight(), width, height);
        }
        render();
        place();
    }

    /** Beyond this zoom the picture goes to the renderer at its own size. */
    static final double RESAMPLE_UP_TO = 2.0;

    /** Puts {@link #picture} into the shown image, resampled for the current zoom when that pays. */
    private void render() {
        double z = viewport.zoom();
        int w = pictureW;
        int h = pictureH;
        boolean resample = z <= RESAMPLE_UP_TO && Math.abs(z - 1) > 1e-9;
        if (resample) {
            w = Math.max(1, (int) Math.round(pictureW * z));
            h = Math.max(1, (int) Math.round(pictureH * z));
        }
        if (pixels == null || pixels.getWidth() != w || pixels.getHeight() != h) {
            PixelBuffer<IntBuffer> fresh = new PixelBuffer<>(w, h, IntBuffer.allocate(w * h),
                    PixelFormat.getIntArgbPreInstance());
            base = new WritableImage(fresh);
            view.setImage(base);
            pixels = fresh;
        }
        int[] shown = pixels.getBuffer().array();
        if (resample) {
            scaler.scale(picture, pictureW, pictureH, shown, w, h);
        } else {
            System.arraycopy(picture, 0, shown, 0, w * h);
        }
        shownZoom = resample ? z : 1;
        pixels.updateBuffer(b -> null);  // null: the whole picture changed
    }

    public Image image() { return base; }

    public void fit() {
        if (picture != null) viewport.fit(getWidth(), getHeight(), pictureW, pictureH);
        else if (base != null) viewport.fit(getWidth(), getHeight(), base.getWidth(), base.getHeight());
        else viewport.requestFit();
    }

    public void oneToOne() {
        if (picture != null) viewport.oneToOne(getWidth(), getHeight(), pictureW, pictureH);
        else if (base != null) viewport.oneToOne(getWidth(), getHeight(), base.getWidth(), base.getHeight());
    }

    /** The picture's own width and height (what the image pixels of the hover readout refer to); 0 without one. */
    public double pictureWidth() { return picture != null ? pictureW : base != null ? base.getWidth() : 0; }
    public double pictureHeight() { return picture != null ? pictureH : base != null ? base.getHeight() : 0; }

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
        if (picture != null && z != shownZoom && (z <= RESAMPLE_UP_TO || shownZoom != 1)) {
            render();  // zoomed: resample for the new size (or hand the renderer the picture as it is)
        }
        double w = picture != null ? pictureW * z : base.getWidth() * z;
        double h = picture != null ? pictureH * z : base.getHeight() * z;
        boolean oneToOne = picture != null && shownZoom == z;
        // A resampled picture is copied at whole pixels, one to one: no scaling left for Prism.
        view.setLayoutX(oneToOne ? Math.round(viewport.panX()) : viewport.panX());
        view.setLayoutY(oneToOne ? Math.round(viewport.panY()) : viewport.panY());
        view.setFitWidth(oneToOne ? base.getWidth() : w);
        view.setFitHeight(oneToOne ? base.getHeight() : h);
        // Nearest-neighbour when magnified so that label boundaries stay crisp pixels.
        view.setSmooth(z < 1);
    }
}
