package org.segbench.engine.source;

import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;
import org.segbench.engine.OpenCv;
import org.segbench.engine.SegbenchException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/** Reading and writing image files with OpenCV, with one-line errors naming the file. */
public final class ImageFiles {
    /** Extensions treated as images when listing a folder. */
    public static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "tif", "tiff", "webp",
            "ppm", "pgm");
    /** Extensions treated as videos. */
    public static final Set<String> VIDEO_EXTENSIONS = Set.of("mp4", "avi", "mkv", "mov", "webm", "m4v", "mpg",
            "mpeg", "wmv", "flv");

    private ImageFiles() {
    }

    /** Reads a colour image as 8-bit BGR. */
    public static Mat readBgr(Path file) throws SegbenchException {
        return read(file, Imgcodecs.IMREAD_COLOR);
    }

    /** Reads an image as stored (labels: 8-bit single channel; colour GT: BGR), no conversion. */
    public static Mat readUnchanged(Path file) throws SegbenchException {
        return read(file, Imgcodecs.IMREAD_UNCHANGED);
    }

    private static Mat read(Path file, int flags) throws SegbenchException {
        OpenCv.load();
        if (!Files.isRegularFile(file)) {
            throw new SegbenchException(file, "no such file");
        }
        Mat m = Imgcodecs.imread(file.toString(), flags);
        if (m.empty()) {
            m.release();
            throw new SegbenchException(file, "not a readable image (corrupt or unsupported format)");
        }
        return m;
    }

    /** Writes a Mat as PNG (or the format of the extension), creating parent folders. */
    public static void write(Path file, Mat image) throws SegbenchException {
        OpenCv.load();
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
        } catch (IOException e) {
            throw new SegbenchException(file, "cannot create folder: " + e.getMessage());
        }
        if (!Imgcodecs.imwrite(file.toString(), image, new MatOfInt())) {
            throw new SegbenchException(file, "cannot write image");
        }
    }

    /** Writes {@code int[]} ARGB pixels (alpha dropped) as an image file. */
    public static void writeArgb(Path file, int[] argb, int width, int height) throws SegbenchException {
        OpenCv.load();
        Mat bgr = argbToBgr(argb, width, height);
        try {
            write(file, bgr);
        } finally {
            bgr.release();
        }
    }

    /** {@code int[]} ARGB to a new 8-bit BGR Mat. */
    public static Mat argbToBgr(int[] argb, int width, int height) {
        OpenCv.load();
        byte[] bytes = new byte[width * height * 3];
        for (int i = 0, p = 0; i < argb.length; i++, p += 3) {
            int c = argb[i];
            bytes[p] = (byte) c;
            bytes[p + 1] = (byte) (c >> 8);
            bytes[p + 2] = (byte) (c >> 16);
        }
        Mat m = new Mat(height, width, CvType.CV_8UC3);
        m.put(0, 0, bytes);
        return m;
    }

    /** An 8-bit BGR Mat to {@code int[]} opaque ARGB (for a JavaFX {@code WritableImage}). */
    public static int[] bgrToArgb(Mat bgr) {
        OpenCv.load();
        Mat src = bgr;
        if (bgr.channels() == 1) {
            src = new Mat();
            Imgproc.cvtColor(bgr, src, Imgproc.COLOR_GRAY2BGR);
        } else if (!bgr.isContinuous()) {
            src = bgr.clone();
        }
        int n = src.rows() * src.cols();
        byte[] bytes = new byte[n * 3];
        src.get(0, 0, bytes);
        if (src != bgr) {
            src.release();
        }
        int[] out = new int[n];
        for (int i = 0, p = 0; i < n; i++, p += 3) {
            out[i] = 0xFF000000 | (bytes[p + 2] & 0xFF) << 16 | (bytes[p + 1] & 0xFF) << 8 | (bytes[p] & 0xFF);
        }
        return out;
    }

    /** Images directly in a folder, sorted by name. */
    public static List<Path> listImages(Path folder) throws SegbenchException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(Files::isRegularFile).filter(p -> IMAGE_EXTENSIONS.contains(extension(p))).sorted().toList();
        } catch (IOException e) {
            throw new SegbenchException(folder, "cannot list folder: " + e.getMessage());
        }
    }

    /** Lower-case extension without the dot, or "". */
    public static String extension(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    public static boolean isVideo(Path p) {
        return VIDEO_EXTENSIONS.contains(extension(p));
    }

    public static boolean isImage(Path p) {
        return IMAGE_EXTENSIONS.contains(extension(p));
    }
}
