package org.segbench.engine.source;

import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;
import org.segbench.engine.OpenCv;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.Size;
import org.segbench.engine.io.AtomicFiles;
import org.opencv.core.MatOfByte;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.Optional;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import java.nio.charset.StandardCharsets;

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
        checkReadable(file);
        Optional<Size> declared = declaredSize(file);
        if (declared.isPresent() && declared.get().pixels() > MAX_PIXELS) {
            throw new SegbenchException(file, String.format("image is %s (%,d pixels), over the limit of %,d pixels",
                    declared.get(), declared.get().pixels(), MAX_PIXELS));
        }
        Optional<String> cut = truncation(file);
        if (cut.isPresent() && extension(file).equals("png")) {
            // libpng cannot finish such a file, and would print its own bare error line doing so
            throw new SegbenchException(file, "not a readable image: " + cut.get().replaceFirst(":.*", ""));
        }
        Mat m = Imgcodecs.imread(file.toString(), flags);
        if (m.empty()) {
            m.release();
            throw new SegbenchException(file, "not a readable image (corrupt or unsupported format)");
        }
        return m;
    }

    /**
     * The most pixels of a frame: its 32-bit ARGB copy must fit one Java array (4 bytes a pixel
     * under 2^31), which keeps it under OpenCV's own decoder limit of 2^30 pixels too.
     */
    public static final long MAX_PIXELS = Integer.MAX_VALUE / 4;

    /**
     * Fails with what the path is when it is not a readable regular file: missing, a folder, a
     * FIFO or device (which a reader would block on), a dangling link, or unreadable.
     */
    public static void checkReadable(Path file) throws SegbenchException {
        if (Files.isRegularFile(file)) {
            if (!Files.isReadable(file)) {
                throw new SegbenchException(file, "not readable (permission denied)");
            }
            return;
        }
        if (Files.isDirectory(file)) {
            throw new SegbenchException(file, "is a folder, not a file");
        }
        if (Files.exists(file)) {
            throw new SegbenchException(file, "not a regular file (a FIFO, socket or device)");
        }
        if (Files.isSymbolicLink(file)) {
            throw new SegbenchException(file, "is a dangling symbolic link");
        }
        throw new SegbenchException(file, "no such file");
    }

    /** Height and width from the file's header, without decoding it, when Java knows the format. */
    static Optional<Size> declaredSize(Path file) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                return Optional.empty();
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return Optional.empty();
            }
            ImageReader r = readers.next();
            try {
                r.setInput(in, true, true);
                int w = r.getWidth(0);
                int h = r.getHeight(0);
                return w > 0 && h > 0 ? Optional.of(new Size(h, w)) : Optional.empty();
            } finally {
                r.dispose();
            }
        } catch (IOException | RuntimeException e) {
            // no header Java understands: OpenCV decides
            return Optional.empty();
        }
    }

    /**
     * A problem with a file that still decodes: a JPEG without its end-of-image marker, or a PNG
     * without its end chunk, was cut short; the decoder fills the missing rows, so the frame is
     * not what the camera saw and its scores mean little.
     *
     * @return a one-line description, or empty when the file ends as its format says it should
     */
    public static Optional<String> truncation(Path file) {
        String ext = extension(file);
        boolean jpeg = ext.equals("jpg") || ext.equals("jpeg");
        boolean png = ext.equals("png");
        if (!jpeg && !png) {
            return Optional.empty();
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            // only a file of that format can be cut short of it; anything else fails to decode
            ByteBuffer head = ByteBuffer.allocate(4);
            ch.read(head);
            byte[] h = head.array();
            boolean isJpeg = (h[0] & 0xFF) == 0xFF && (h[1] & 0xFF) == 0xD8;
            boolean isPng = (h[0] & 0xFF) == 0x89 && h[1] == 'P' && h[2] == 'N' && h[3] == 'G';
            if (jpeg && !isJpeg || png && !isPng) {
                return Optional.empty();
            }
            long size = ch.size();
            int n = (int) Math.min(size, 64);
            ByteBuffer tail = ByteBuffer.allocate(n);
            ch.position(size - n);
            while (tail.hasRemaining() && ch.read(tail) >= 0) {
                // the last bytes only
            }
            byte[] b = tail.array();
            if (jpeg) {
                // some writers pad after the marker: look for FF D9 among the last bytes
                for (int i = n - 2; i >= 0; i--) {
                    if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0xD9) {
                        return Optional.empty();
                    }
                }
                return Optional.of("truncated JPEG (no end-of-image marker): the missing part was filled in grey");
            }
            // a PNG ends with its 12-byte IEND chunk
            String text = new String(b, StandardCharsets.ISO_8859_1);
            return text.contains("IEND") ? Optional.empty()
                    : Optional.of("truncated PNG (no IEND chunk)");
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Writes a Mat as PNG (or the format of the extension), creating parent folders. The file
     * appears whole or not at all: encoded in memory, then put in place by {@link AtomicFiles}.
     */
    public static void write(Path file, Mat image) throws SegbenchException {
        OpenCv.load();
        String ext = extension(file).isEmpty() ? "png" : extension(file);
        MatOfByte encoded = new MatOfByte();
        try {
            boolean ok;
            try {
                ok = Imgcodecs.imencode("." + ext, image, encoded, new MatOfInt());
            } catch (RuntimeException e) {
                ok = false;
            }
            if (!ok) {
                throw new SegbenchException(file, "cannot encode the image as " + ext);
            }
            AtomicFiles.write(file, encoded.toArray());
        } finally {
            encoded.release();
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
        long n = (long) width * height;
        if (n > MAX_PIXELS || argb.length < n) {
            throw new IllegalArgumentException(width + "x" + height + " needs " + n + " pixels; got " + argb.length
                    + ", limit " + MAX_PIXELS);
        }
        byte[] bytes = new byte[(int) n * 3];
        for (int i = 0, p = 0; i < n; i++, p += 3) {
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
        long pixels = (long) src.rows() * src.cols();
        if (pixels > MAX_PIXELS) {
            throw new IllegalArgumentException(src.rows() + "x" + src.cols() + " is over the limit of " + MAX_PIXELS
                    + " pixels");
        }
        int n = (int) pixels;
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

    /**
     * Entries of a folder that have an image extension but that {@link #listImages} leaves out,
     * each with why ({@code "x.png: is a folder, not a file"}), so a run can say so instead of
     * quietly processing fewer frames.
     */
    public static List<String> leftOut(Path folder) {
        List<String> reasons = new ArrayList<>();
        try (Stream<Path> s = Files.list(folder)) {
            for (Path p : s.filter(p -> IMAGE_EXTENSIONS.contains(extension(p)) && !Files.isRegularFile(p))
                    .sorted().toList()) {
                try {
                    checkReadable(p);
                } catch (SegbenchException e) {
                    reasons.add(e.getMessage());
                }
            }
        } catch (IOException e) {
            reasons.add(folder + ": cannot list folder: " + e.getMessage());
        }
        return reasons;
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
