package org.segbench.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A table from a model's classes to a dataset's, so that a model trained on one label set (say
 * Cityscapes' 19 classes) can be drawn and scored on another (CamVid's 11). Many model classes may
 * go to one dataset class; a model class mapped to {@code ignore} is predicted as "no dataset
 * class", which scoring counts as an error for the pixel's ground truth, as it does void
 * (docs/void-classes.md). Every model class must be listed, so that a forgotten one is an error
 * rather than a silent guess.
 *
 * <p>Two file forms ({@code docs/model-format.md}): JSON
 * {@code {"from": "cityscapes", "to": "camvid", "map": {"road": "road", "terrain": "ignore", ...}}}
 * or CSV lines {@code model class,dataset class} (blank lines and {@code #} comments skipped; a
 * {@code # to: camvid} comment names the dataset). Classes are named or given by index.
 *
 * @param file    where the map was read from (for messages)
 * @param to      the dataset the map leads to, if the file says
 * @param entries model class (name or index) to dataset class (name or index) or {@code ignore}, in file order
 */
public record ClassMap(Path file, Optional<String> to, Map<String, String> entries) {
    /** The target that means "no dataset class". */
    public static final String IGNORE = "ignore";

    public ClassMap {
        entries = Map.copyOf(entries);
    }

    /**
     * The map applied: a 256-entry table from model label to dataset label, and the labels the
     * mapped predictions are in (the dataset's, plus one {@code ignore} class when any entry ignores).
     */
    public record Applied(byte[] table, LabelSet labels) {
        public Applied {
            table = table.clone();
        }

        @Override
        public byte[] table() {
            return table.clone();
        }
    }

    /**
     * Reads a JSON ({@code .json}) or CSV (anything else) class map.
     *
     * @throws SegbenchException naming the file: missing, unreadable, or not in either form
     */
    public static ClassMap read(Path file) throws SegbenchException {
        if (!Files.isRegularFile(file)) {
            throw new SegbenchException(file, "no such class-map file");
        }
        try {
            String text = Files.readString(file);
            return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")
                    ? fromJson(file, text) : fromCsv(file, text);
        } catch (IOException e) {
            throw new SegbenchException(file, "unreadable class map: " + e.getMessage().lines().findFirst().orElse("?"));
        }
    }

    private static ClassMap fromJson(Path file, String text) throws IOException, SegbenchException {
        JsonNode root = new ObjectMapper().readTree(text);
        if (root == null || !root.path("map").isObject()) {
            throw new SegbenchException(file, "class map JSON needs an object \"map\": {model class: dataset class}");
        }
        Map<String, String> entries = new LinkedHashMap<>();
        var fields = root.get("map").fields();
        while (fields.hasNext()) {
            var e = fields.next();
            if (!e.getValue().isValueNode()) {
                throw new SegbenchException(file, "class map entry '" + e.getKey() + "' must map to one class or \"ignore\"");
            }
            entries.put(e.getKey(), e.getValue().asText());
        }
        String to = root.path("to").asText("");
        return new ClassMap(file, to.isBlank() ? Optional.empty() : Optional.of(to.strip()), entries);
    }

    private static ClassMap fromCsv(Path file, String text) throws SegbenchException {
        Map<String, String> entries = new LinkedHashMap<>();
        Optional<String> to = Optional.empty();
        int lineNumber = 0;
        for (String line : text.split("\\R")) {
            lineNumber++;
            String s = line.strip();
            if (s.startsWith("#")) {
                String comment = s.substring(1).strip();
                if (comment.toLowerCase(Locale.ROOT).startsWith("to:")) {
                    to = Optional.of(comment.substring(3).strip());
                }
                continue;
            }
            if (s.isEmpty()) {
                continue;
            }
            String[] cells = s.split(",", -1);
            if (cells.length != 2 || cells[0].isBlank() || cells[1].isBlank()) {
                throw new SegbenchException(file, "line " + lineNumber + ": expected 'model class,dataset class', got '"
                        + s + "'");
            }
            entries.put(cells[0].strip(), cells[1].strip());
        }
        return new ClassMap(file, to, entries);
    }

    /**
     * The map applied to a model's classes.
     *
     * @param model  the model's own label set (names the keys may use)
     * @param target the dataset's label set (names the values may use)
     * @throws SegbenchException naming the map file: a class it names that the model or dataset does
     *                           not have, or a model class it leaves out
     */
    public Applied apply(LabelSet model, LabelSet target) throws SegbenchException {
        if (model.size() > 256 || target.size() > 255) {
            throw new SegbenchException(file, "class maps hold at most 256 model and 255 dataset classes");
        }
        byte[] table = new byte[256];
        Arrays.fill(table, (byte) 255);
        boolean[] mapped = new boolean[model.size()];
        boolean ignores = false;
        for (Map.Entry<String, String> e : entries.entrySet()) {
            int from = classIndex(model, e.getKey(), "the model");
            int into;
            if (e.getValue().strip().equalsIgnoreCase(IGNORE)) {
                into = target.size();
                ignores = true;
            } else {
                into = classIndex(target, e.getValue(), "dataset " + target.dataset());
            }
            if (mapped[from]) {
                throw new SegbenchException(file, "model class '" + model.name(from) + "' is mapped twice");
            }
            mapped[from] = true;
            table[from] = (byte) into;
        }
        List<String> missing = new ArrayList<>();
        for (int c = 0; c < mapped.length; c++) {
            if (!mapped[c]) {
                missing.add(model.name(c));
            }
        }
        if (!missing.isEmpty()) {
            throw new SegbenchException(file, "model classes not mapped: " + String.join(", ", missing)
                    + " (map each to a " + target.dataset() + " class or \"ignore\")");
        }
        return new Applied(table, ignores ? target.withVoid(IGNORE) : target);
    }

    private int classIndex(LabelSet labels, String key, String owner) throws SegbenchException {
        String k = key.strip();
        if (k.chars().allMatch(Character::isDigit) && !k.isEmpty()) {
            int i = Integer.parseInt(k);
            if (i < labels.size()) {
                return i;
            }
            throw new SegbenchException(file, "class " + i + " is out of range: " + owner + " has " + labels.size());
        }
        for (int i = 0; i < labels.size(); i++) {
            if (labels.classes().get(i).equalsIgnoreCase(k)) {
                return i;
            }
        }
        throw new SegbenchException(file, "no class '" + k + "' in " + owner + " (" + String.join(", ", labels.classes())
                + ")");
    }
}
