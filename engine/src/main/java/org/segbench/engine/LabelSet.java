package org.segbench.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Arrays;
import java.awt.Color;

/**
 * Class names, their colours and the label value metrics ignore. Palette entries are packed RGB
 * ({@code 0xRRGGBB}); index = class id.
 *
 * <p>The two built-in sets come from {@code assets/palettes/*.json} (bundled as resources
 * {@code segbench/palettes/}), the one source the zoo uses too.
 */
public record LabelSet(String dataset, List<String> classes, int[] palette, int ignoreIndex) {
    public static final String CAMVID = "camvid";
    public static final String CITYSCAPES = "cityscapes";

    public LabelSet {
        classes = List.copyOf(classes);
        palette = palette.clone();
        if (palette.length != classes.size()) {
            throw new IllegalArgumentException(
                    "palette has " + palette.length + " colours for " + classes.size() + " classes");
        }
    }

    @Override
    public int[] palette() {
        return palette.clone();
    }

    public int size() {
        return classes.size();
    }

    /**
     * Whether a model with {@code modelClasses} outputs can be scored on this label set: the same
     * count, or one more, where the extra last output is the dataset's void (the SegNet convention
     * ENet and ESPNet follow on CamVid). A void prediction is then an error for the pixel's
     * ground-truth class and nobody's false positive (docs/void-classes.md).
     */
    public boolean scoresModelWith(int modelClasses) {
        return modelClasses == size() || modelClasses == size() + 1;
    }

    /**
     * This set with one more class, {@code name}, drawn black: the void output of a model with one
     * class more than its dataset, or a class map's {@code ignore}. Its id is {@link #size()}, so
     * metrics built on this dataset count its predictions as errors.
     */
    public LabelSet withVoid(String name) {
        List<String> names = new ArrayList<>(classes);
        names.add(name);
        int[] colours = Arrays.copyOf(palette, palette.length + 1);
        return new LabelSet(dataset, names, colours, ignoreIndex);
    }

    public String name(int classId) {
        return classId >= 0 && classId < classes.size() ? classes.get(classId) : "class " + classId;
    }

    /** Packed {@code 0xRRGGBB} colour of a class. */
    public int rgb(int classId) {
        return palette[classId];
    }

    /** CamVid's 11 classes (SegNet split), ignore index 11 (void). */
    public static LabelSet camvid() {
        return Bundled.CAMVID_SET;
    }

    /** Cityscapes' 19 evaluated classes by train id, ignore index 255. */
    public static LabelSet cityscapes() {
        return Bundled.CITYSCAPES_SET;
    }

    /** The built-in set of that name ({@code camvid}, {@code cityscapes}), case-insensitive. */
    public static LabelSet forDataset(String dataset) {
        return switch (dataset.toLowerCase()) {
            case CAMVID -> camvid();
            case CITYSCAPES -> cityscapes();
            default -> throw new IllegalArgumentException("unknown dataset '" + dataset + "' (camvid or cityscapes)");
        };
    }

    /**
     * The defaults for a model without metadata: 19 classes -> Cityscapes, 11 -> CamVid, 12 -> CamVid
     * and void (the SegNet convention ENet and ESPNet follow), otherwise names {@code class 0..} with
     * well-spread generated colours and ignore index 255.
     */
    public static LabelSet defaultFor(int classCount) {
        if (classCount == 19) {
            return cityscapes();
        }
        if (classCount == 11) {
            return camvid();
        }
        if (classCount == 12) {
            return camvid().withVoid("void");
        }
        return generated(classCount);
    }

    /** {@code n} classes named {@code class i}, colours spread around the hue circle. */
    public static LabelSet generated(int n) {
        List<String> names = new ArrayList<>(n);
        int[] colours = new int[n];
        for (int i = 0; i < n; i++) {
            names.add("class " + i);
            // golden-ratio hue steps keep neighbouring ids apart
            float hue = (float) ((i * 0.6180339887) % 1.0);
            colours[i] = Color.HSBtoRGB(hue, 0.65f, i % 2 == 0 ? 0.95f : 0.7f) & 0xFFFFFF;
        }
        return new LabelSet("generated", names, colours, 255);
    }

    /** Reads a palette JSON ({@code dataset, ignore_index, classes, palette}) from a stream. */
    public static LabelSet read(InputStream json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json);
        List<String> names = new ArrayList<>();
        root.get("classes").forEach(n -> names.add(n.asText()));
        return new LabelSet(root.path("dataset").asText("unknown"), names,
                paletteOf(root.get("palette")), root.path("ignore_index").asInt(255));
    }

    /** Packs a JSON array of {@code [r,g,b]} into {@code 0xRRGGBB} ints. */
    /**
     * Packed colours from a JSON array of {@code [r, g, b]} triples.
     *
     * @throws IllegalArgumentException naming the first entry that is not three integers 0..255
     */
    public static int[] paletteOf(JsonNode rgbArray) {
        if (rgbArray == null || !rgbArray.isArray()) {
            throw new IllegalArgumentException("must be an array of [r,g,b] triples");
        }
        int[] out = new int[rgbArray.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode c = rgbArray.get(i);
            if (!c.isArray() || c.size() != 3) {
                throw new IllegalArgumentException("entry " + i + " is " + c + ", not [r,g,b]");
            }
            int rgb = 0;
            for (int k = 0; k < 3; k++) {
                JsonNode v = c.get(k);
                if (!v.isIntegralNumber() || v.asInt() < 0 || v.asInt() > 255) {
                    throw new IllegalArgumentException("entry " + i + " is " + c + ", not three integers 0..255");
                }
                rgb = rgb << 8 | v.asInt();
            }
            out[i] = rgb;
        }
        return out;
    }

    static InputStream resource(String dataset) {
        InputStream in = LabelSet.class.getResourceAsStream("/segbench/palettes/" + dataset + ".json");
        if (in == null) {
            throw new IllegalStateException("palette resource segbench/palettes/" + dataset + ".json missing from the jar");
        }
        return in;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelSet s && s.dataset.equals(dataset) && s.classes.equals(classes)
                && Arrays.equals(s.palette, palette) && s.ignoreIndex == ignoreIndex;
    }

    @Override
    public int hashCode() {
        return classes.hashCode() * 31 + Arrays.hashCode(palette);
    }

    @Override
    public String toString() {
        return dataset + " (" + classes.size() + " classes, ignore " + ignoreIndex + ")";
    }

    /** Lazy holder so a bad resource fails at first use, not at class load of every record. */
    private static final class Bundled {
        static final LabelSet CAMVID_SET = load(CAMVID);
        static final LabelSet CITYSCAPES_SET = load(CITYSCAPES);

        private static LabelSet load(String dataset) {
            try (InputStream in = resource(dataset)) {
                return read(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
