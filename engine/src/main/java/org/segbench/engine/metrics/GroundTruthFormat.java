package org.segbench.engine.metrics;

import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.segbench.engine.LabelMap;
import org.segbench.engine.LabelSet;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.source.ImageFiles;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The ground-truth file layouts the engine reads, each into a {@link LabelMap} of the dataset's
 * evaluation ids (CamVid 0..10 + 11 void; Cityscapes train ids 0..18 + 255).
 */
public enum GroundTruthFormat {
    /** CamVid label PNG: one class index per pixel, 11 = void. */
    CAMVID(LabelSet.CAMVID),
    /** Cityscapes {@code *_gtFine_labelIds.png}: label ids, mapped to train ids. */
    CITYSCAPES_LABEL_IDS(LabelSet.CITYSCAPES),
    /** Cityscapes {@code *_gtFine_color.png}: colours, mapped to train ids. */
    CITYSCAPES_COLOR(LabelSet.CITYSCAPES);

    private final String dataset;

    GroundTruthFormat(String dataset) {
        this.dataset = dataset;
    }

    /** {@code camvid} or {@code cityscapes}. */
    public String dataset() {
        return dataset;
    }

    public LabelSet labelSet() {
        return LabelSet.forDataset(dataset);
    }

    /** By file name: {@code _gtFine_labelIds} / {@code _gtFine_color} -> Cityscapes, else CamVid. */
    public static GroundTruthFormat detect(Path file) {
        String n = file.getFileName().toString();
        if (n.contains("_labelIds")) {
            return CITYSCAPES_LABEL_IDS;
        }
        if (n.contains("_color")) {
            return CITYSCAPES_COLOR;
        }
        return CAMVID;
    }

    /** For a dataset name, the label-id format (Cityscapes) or CamVid's. */
    public static GroundTruthFormat forDataset(String dataset) {
        return LabelSet.CITYSCAPES.equalsIgnoreCase(dataset) ? CITYSCAPES_LABEL_IDS : CAMVID;
    }

    /** Reads a ground-truth file into evaluation ids. */
    public LabelMap read(Path file) throws SegbenchException {
        Mat m = ImageFiles.readUnchanged(file);
        try {
            return switch (this) {
                case CAMVID -> singleChannel(file, m, null);
                case CITYSCAPES_LABEL_IDS -> singleChannel(file, m, CityscapesLabels.labelIdTable());
                case CITYSCAPES_COLOR -> colours(file, m);
            };
        } finally {
            m.release();
        }
    }

    private static LabelMap singleChannel(Path file, Mat m, byte[] table) throws SegbenchException {
        if (m.type() != CvType.CV_8UC1) {
            throw new SegbenchException(file, "expected an 8-bit single-channel label image, got "
                    + CvType.typeToString(m.type()));
        }
        byte[] labels = new byte[m.rows() * m.cols()];
        m.get(0, 0, labels);
        if (table != null) {
            for (int i = 0; i < labels.length; i++) {
                labels[i] = table[labels[i] & 0xFF];
            }
        }
        return new LabelMap(m.cols(), m.rows(), labels);
    }

    private static LabelMap colours(Path file, Mat m) throws SegbenchException {
        int channels = m.channels();
        if (m.depth() != CvType.CV_8U || (channels != 3 && channels != 4)) {
            throw new SegbenchException(file, "expected an 8-bit colour image, got " + CvType.typeToString(m.type()));
        }
        int n = m.rows() * m.cols();
        byte[] px = new byte[n * channels];
        m.get(0, 0, px);
        byte[] labels = new byte[n];
        // few distinct colours per image: cache lookups
        Map<Integer, Byte> cache = new HashMap<>();
        for (int i = 0, p = 0; i < n; i++, p += channels) {
            int rgb = (px[p + 2] & 0xFF) << 16 | (px[p + 1] & 0xFF) << 8 | (px[p] & 0xFF);
            labels[i] = cache.computeIfAbsent(rgb, c -> (byte) CityscapesLabels.trainIdOfColour(c));
        }
        return new LabelMap(m.cols(), m.rows(), labels);
    }
}
