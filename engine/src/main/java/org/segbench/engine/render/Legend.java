package org.segbench.engine.render;

import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;
import org.segbench.engine.LabelSet;
import org.segbench.engine.OpenCv;

/** A colour legend (swatch + class name per row) as an 8-bit BGR image, for saved outputs. */
public final class Legend {
    private static final int ROW = 22;
    private static final int WIDTH = 190;

    private Legend() {
    }

    /** One row per class, {@code height} pixels tall at least (padded with white). */
    public static Mat render(LabelSet labels, int height) {
        OpenCv.load();
        int h = Math.max(height, labels.size() * ROW + 8);
        Mat m = new Mat(h, WIDTH, CvType.CV_8UC3, new Scalar(255, 255, 255));
        for (int c = 0; c < labels.size(); c++) {
            int rgb = labels.rgb(c);
            int top = 4 + c * ROW;
            Imgproc.rectangle(m, new Point(6, top), new Point(26, top + ROW - 6),
                    new Scalar(rgb & 0xFF, (rgb >> 8) & 0xFF, (rgb >> 16) & 0xFF), -1);
            Imgproc.putText(m, labels.name(c), new Point(34, top + ROW - 9), Imgproc.FONT_HERSHEY_SIMPLEX, 0.45,
                    new Scalar(20, 20, 20), 1, Imgproc.LINE_AA);
        }
        return m;
    }
}
