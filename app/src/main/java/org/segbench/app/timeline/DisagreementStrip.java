package org.segbench.app.timeline;

import java.util.Locale;
import java.util.function.LongConsumer;

import javafx.application.Platform;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;

import org.segbench.app.source.SourceFrame;
import org.segbench.app.throttle.RefreshThrottle;
import org.segbench.engine.render.ViewRenderer;

/**
 * A thin strip under the seek bar: one mark per frame the panes have all seen, from dark (they
 * agree) to the disagreement view's magenta (a third of the pixels or more differ). Unseen frames
 * stay empty, so it fills in as the video plays. A click seeks there.
 */
public final class DisagreementStrip extends Region {
    /** The share drawn at full colour: beyond it frames are all "very different". */
    static final double FULL_AT = 0.33;
    private static final Color NONE = Color.web("#23262b");
    private static final Color AGREE = Color.web("#2f5d46");
    private static final Color DIFFER = Color.web(String.format(Locale.ROOT, "#%06X", ViewRenderer.DISAGREE & 0xFFFFFF));

    private final DisagreementTimelineViewModel vm;
    private final LongProperty frameCount;
    private final ObjectProperty<SourceFrame> current;
    private final Canvas canvas = new Canvas();
    private final Tooltip tip = new Tooltip("Where the panes disagree: filled in as frames are seen");

    /**
     * @param frameCount the source's frame count (-1 when unknown: the strip spans the frames seen)
     * @param current    the frame shown now (marked on the strip)
     * @param seek       seeks the source to a frame index
     */
    private final RefreshThrottle redraw = new RefreshThrottle(Platform::runLater, RefreshThrottle.DISPLAY, this::draw);

    public DisagreementStrip(DisagreementTimelineViewModel vm, LongProperty frameCount, ObjectProperty<SourceFrame> current,
                             LongConsumer seek) {
        this.vm = vm;
        this.frameCount = frameCount;
        this.current = current;
        setId("disagreement-timeline");
        getStyleClass().add("disagreement-timeline");
        getChildren().add(canvas);
        setMinHeight(10);
        setPrefHeight(10);
        setMaxHeight(10);
        Tooltip.install(this, tip);
        // Every result of every pane adds a frame and every source frame moves the cursor: the
        // strip is redrawn a few times a second, not for each of them.
        vm.revisionProperty().addListener(o -> redraw.request());
        frameCount.addListener(o -> draw());
        current.addListener(o -> redraw.request());
        setOnMouseMoved(e -> tip.setText(describe(indexAt(e.getX()))));
        setOnMouseClicked(e -> {
            long i = indexAt(e.getX());
            if (i >= 0) seek.accept(i);
        });
    }

    public Canvas canvas() { return canvas; }

    @Override
    protected void layoutChildren() {
        canvas.setWidth(getWidth());
        canvas.setHeight(getHeight());
        draw();
    }

    /** Frames the strip spans: the source's count, else one past the last frame seen. */
    private long span() {
        long n = frameCount.get();
        if (n > 0) return n;
        long max = 0;
        for (FrameDisagreement f : vm.frames()) max = Math.max(max, f.index() + 1);
        return Math.max(1, max);
    }

    private long indexAt(double x) {
        double w = getWidth();
        if (w <= 0) return -1;
        return Math.max(0, Math.min(span() - 1, (long) (x / w * span())));
    }

    private String describe(long index) {
        for (FrameDisagreement f : vm.frames()) {
            if (f.index() == index) return String.format(Locale.ROOT, "frame %d: %.1f %% of pixels differ", index, f.share() * 100);
        }
        return "frame " + index + ": not seen by every pane yet";
    }

    /** The colour of a share: dark green (agree) to magenta (a third or more differ). */
    public static Color colorOf(double share) {
        return AGREE.interpolate(DIFFER, Math.min(1, Math.max(0, share) / FULL_AT));
    }

    private void draw() {
        double w = canvas.getWidth(), h = canvas.getHeight();
        GraphicsContext gc = canvas.getGraphicsContext2D();
        gc.setFill(NONE);
        gc.fillRect(0, 0, w, h);
        long n = span();
        double step = w / n;
        for (FrameDisagreement f : vm.frames()) {
            if (f.index() < 0 || f.index() >= n) continue;
            gc.setFill(colorOf(f.share()));
            // at least 2 px: one frame of a long video must still be seen
            gc.fillRect(Math.floor(f.index() * step), 0, Math.max(2, Math.ceil(step)), h);
        }
        SourceFrame now = current.get();
        if (now != null && now.index() < n) {
            gc.setFill(Color.web("#f0f0f0"));
            gc.fillRect(Math.floor(now.index() * step), 0, Math.max(1.5, step), h);
        }
    }
}
