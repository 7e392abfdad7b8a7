package org.segbench.engine.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.segbench.engine.LabelSet;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;
import java.util.HashMap;

/**
 * Cityscapes label ids and colours to the 19 train ids (255 = ignored), from the bundled
 * {@code cityscapes.json}. In colour ground truth 153,153,153 is pole (polegroup shares the colour
 * but is not evaluated), and every colour outside the 19 evaluated classes is 255.
 */
public final class CityscapesLabels {
    public static final int IGNORE = 255;
    private static final byte[] LABEL_ID_TO_TRAIN_ID = loadIdMap();
    // 24-bit RGB -> train id + 1 (0 = unknown colour)
    private static final Map<Integer, Integer> COLOUR_TO_TRAIN_ID = colourMap();

    private CityscapesLabels() {
    }

    /** Train id of a label id (0..255), 255 for everything not evaluated. */
    public static int trainIdOf(int labelId) {
        return labelId < 0 || labelId > 255 ? IGNORE : LABEL_ID_TO_TRAIN_ID[labelId] & 0xFF;
    }

    /** Train id of a packed {@code 0xRRGGBB} colour, 255 for colours of non-evaluated classes. */
    public static int trainIdOfColour(int rgb) {
        return COLOUR_TO_TRAIN_ID.getOrDefault(rgb & 0xFFFFFF, IGNORE);
    }

    /** The 256-entry label-id lookup table (a copy). */
    public static byte[] labelIdTable() {
        return LABEL_ID_TO_TRAIN_ID.clone();
    }

    private static byte[] loadIdMap() {
        byte[] table = new byte[256];
        Arrays.fill(table, (byte) IGNORE);
        try (InputStream in = CityscapesLabels.class.getResourceAsStream("/segbench/palettes/cityscapes.json")) {
            if (in == null) {
                throw new IllegalStateException("segbench/palettes/cityscapes.json missing from the jar");
            }
            JsonNode map = new ObjectMapper().readTree(in).get("label_id_to_train_id");
            map.fields().forEachRemaining(e -> table[Integer.parseInt(e.getKey())] = (byte) e.getValue().asInt());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return table;
    }

    private static Map<Integer, Integer> colourMap() {
        int[] palette = LabelSet.cityscapes().palette();
        Map<Integer, Integer> m = new HashMap<>();
        for (int t = 0; t < palette.length; t++) {
            m.put(palette[t], t);
        }
        return Map.copyOf(m);
    }
}
