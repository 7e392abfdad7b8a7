package org.segbench.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The sidecar {@code MODEL.onnx.json} for a loaded model: every key the engine uses to run it, as
 * it runs it now, for the user to check and edit ({@code segbench info --write-sidecar}). Keys the
 * model's metadata (or the user's options) did not give are listed as {@code guessed} (defaults by
 * class count, ImageNet normalisation, RGB) or {@code detected} (the layout, from the shapes), so
 * the user knows which ones to check.
 *
 * @param json     the sidecar's content, keys of docs/model-format.md
 * @param guessed  keys whose value is a default nobody gave
 * @param detected keys worked out from the graph's shapes
 */
public record Sidecar(ObjectNode json, List<String> guessed, List<String> detected) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public Sidecar {
        guessed = List.copyOf(guessed);
        detected = List.copyOf(detected);
    }

    /**
     * The sidecar of a loaded model.
     *
     * @throws SegbenchException when the model runs through a class map: its labels are then the
     *                           dataset's, not the model's, and would not fit its outputs
     */
    public static Sidecar of(SegmentationModel m) throws SegbenchException {
        if (m.options().classMap().isPresent()) {
            throw new SegbenchException(m.path(), "a sidecar describes the model's own classes: write it without"
                    + " --class-map");
        }
        ModelMetadata meta = m.metadata();
        ModelOptions options = m.options();
        boolean defaults = meta.source() == ModelMetadata.Source.DEFAULTS;
        boolean labelsGiven = options.dataset().isPresent()
                || (!defaults && meta.raw().containsKey("classes"));
        List<String> guessed = new ArrayList<>();
        List<String> detected = new ArrayList<>();

        ObjectNode root = JSON.createObjectNode();
        root.put("name", meta.name());
        if (!meta.description().isEmpty()) {
            root.put("description", meta.description());
        }
        LabelSet labels = m.labels();
        root.put("dataset", labels.dataset());
        ArrayNode classes = root.putArray("classes");
        labels.classes().forEach(classes::add);
        ArrayNode palette = root.putArray("palette");
        for (int rgb : labels.palette()) {
            palette.addArray().add(rgb >> 16 & 0xFF).add(rgb >> 8 & 0xFF).add(rgb & 0xFF);
        }
        root.put("ignore_index", labels.ignoreIndex());
        if (!labelsGiven) {
            guessed.addAll(List.of("dataset", "classes", "palette", "ignore_index"));
        } else if (!options.dataset().isPresent() && !meta.raw().containsKey("palette")) {
            guessed.add("palette");
        }
        if (m.classCount() == labels.size() && labels.size() > 1
                && labels.classes().get(labels.size() - 1).equalsIgnoreCase("void")) {
            root.put("void_class", labels.size() - 1);
        }
        putFloats(root, "mean", meta.mean());
        putFloats(root, "std", meta.std());
        for (String key : List.of("mean", "std")) {
            boolean fromOption = key.equals("mean") ? options.mean() != null : options.std() != null;
            if (!fromOption && (defaults || !meta.raw().containsKey(key))) {
                guessed.add(key);
            }
        }
        root.put("layout", m.inputLayout().key());
        if (!m.layoutGiven()) {
            detected.add("layout");
        }
        root.put("channel_order", m.channelOrder().key());
        if (options.channelOrder().isEmpty() && meta.declaredChannelOrder().isEmpty()) {
            guessed.add("channel_order");
        }
        m.fixedInputSize().or(meta::inputSize).ifPresent(s -> root.put("input_size", s.toString()));
        if (m.outputs().size() > 1) {
            root.put("output", m.output().name());
        }
        return new Sidecar(root, guessed, detected);
    }

    /**
     * Writes the sidecar (to a temporary file, then renamed, so a crash leaves no half file).
     *
     * @throws SegbenchException naming the file: it exists and {@code overwrite} is off, or it cannot be written
     */
    public void write(Path file, boolean overwrite) throws SegbenchException {
        if (Files.exists(file) && !overwrite) {
            throw new SegbenchException(file, "sidecar exists; give --overwrite to replace it");
        }
        Path dir = file.toAbsolutePath().getParent();
        Path temp = null;
        try {
            temp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            JSON.writeValue(temp.toFile(), json);
            if (overwrite) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                // a plain rename without REPLACE_EXISTING still refuses a file that appeared meanwhile
                Files.move(temp, file);
            }
        } catch (FileAlreadyExistsException e) {
            throw new SegbenchException(file, "sidecar exists; give --overwrite to replace it");
        } catch (IOException e) {
            throw new SegbenchException(file, "cannot write the sidecar: " + e.getMessage());
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // best effort: a stray temp file is harmless
                }
            }
        }
    }

    private static void putFloats(ObjectNode root, String key, float[] values) {
        ArrayNode a = root.putArray(key);
        for (float v : values) {
            a.add(v);
        }
    }
}
