package org.segbench.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The images a model was trained on, by file name without extension (metadata key
 * {@code training_images}, docs/model-format.md). A score on one of them is a training figure, not
 * a validation one: a model bundled from CamVid train+val has seen every val image, so evaluating
 * it there must say so. Serializable, for Spark jobs that check rows on the executors.
 */
public final class TrainingImages implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TrainingImages NONE = new TrainingImages(Set.of());

    private final Set<String> stems;

    private TrainingImages(Set<String> stems) {
        this.stems = Set.copyOf(stems);
    }

    /** No list: nothing is known to have been trained on. */
    public static TrainingImages none() {
        return NONE;
    }

    /**
     * @param json a JSON array of file names (with or without extension)
     * @throws IllegalArgumentException when it is not an array of strings
     */
    public static TrainingImages parse(String json) {
        JsonNode tree;
        try {
            tree = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("training_images is not JSON: " + e.getOriginalMessage());
        }
        if (tree == null || !tree.isArray()) {
            throw new IllegalArgumentException("training_images is not a JSON array of file names");
        }
        Set<String> stems = new HashSet<>();
        for (JsonNode n : tree) {
            if (!n.isTextual()) {
                throw new IllegalArgumentException("training_images holds " + n + ", not a file name");
            }
            stems.add(stem(n.asText()));
        }
        return new TrainingImages(stems);
    }

    /** Whether the image's file name, without extension, is one the model was trained on. */
    public boolean contains(Path image) {
        return stems.contains(stem(image.toString()));
    }

    /**
     * The same for a frame key (a file path, or {@code video#index} for a video frame, which no
     * image list holds).
     */
    public boolean containsFrame(String frameKey) {
        if (stems.isEmpty()) {
            return false;
        }
        return !fileName(frameKey).contains("#") && stems.contains(stem(frameKey));
    }

    public int size() {
        return stems.size();
    }

    public boolean isEmpty() {
        return stems.isEmpty();
    }

    /** The last segment of a path, split at a slash or a backslash. */
    private static String fileName(String path) {
        return path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
    }

    private static String stem(String path) {
        String base = fileName(path);
        int dot = base.lastIndexOf('.');
        return dot > 0 ? base.substring(0, dot) : base;
    }
}
