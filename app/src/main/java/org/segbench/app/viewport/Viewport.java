package org.segbench.app.viewport;

import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleDoubleProperty;

/**
 * One zoom/pan state shared by every pane, so the same pixel sits under the cursor in all of them.
 * Coordinates: a screen point s maps to image point (s - pan) / zoom.
 */
public final class Viewport {
    public static final double MIN_ZOOM = 0.05;
    public static final double MAX_ZOOM = 40;

    private final DoubleProperty zoom = new SimpleDoubleProperty(1);
    private final DoubleProperty panX = new SimpleDoubleProperty(0);
    private final DoubleProperty panY = new SimpleDoubleProperty(0);
    /** When true, panes re-fit the image whenever their size or the image size changes. */
    private boolean fitMode = true;

    public DoubleProperty zoomProperty() { return zoom; }
    public DoubleProperty panXProperty() { return panX; }
    public DoubleProperty panYProperty() { return panY; }
    public double zoom() { return zoom.get(); }
    public double panX() { return panX.get(); }
    public double panY() { return panY.get(); }
    public boolean isFitMode() { return fitMode; }

    public double toImageX(double screenX) { return (screenX - panX.get()) / zoom.get(); }
    public double toImageY(double screenY) { return (screenY - panY.get()) / zoom.get(); }

    /** Zooms by factor keeping the image point under (sx, sy) fixed. */
    public void zoomAt(double factor, double sx, double sy) {
        double z0 = zoom.get();
        double z1 = clamp(z0 * factor);
        double ix = (sx - panX.get()) / z0, iy = (sy - panY.get()) / z0;
        fitMode = false;
        zoom.set(z1);
        panX.set(sx - ix * z1);
        panY.set(sy - iy * z1);
    }

    public void panBy(double dx, double dy) {
        fitMode = false;
        panX.set(panX.get() + dx);
        panY.set(panY.get() + dy);
    }

    /** Whole image visible and centred in a view of the given size. */
    public void fit(double viewW, double viewH, double imageW, double imageH) {
        fitMode = true;
        if (viewW <= 0 || viewH <= 0 || imageW <= 0 || imageH <= 0) return;
        double z = clamp(Math.min(viewW / imageW, viewH / imageH));
        zoom.set(z);
        panX.set((viewW - imageW * z) / 2);
        panY.set((viewH - imageH * z) / 2);
    }

    /** One image pixel per screen pixel, centred. */
    public void oneToOne(double viewW, double viewH, double imageW, double imageH) {
        fitMode = false;
        zoom.set(1);
        panX.set(Math.round((viewW - imageW) / 2));
        panY.set(Math.round((viewH - imageH) / 2));
    }

    public void requestFit() { fitMode = true; }

    private static double clamp(double z) { return Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, z)); }
}
