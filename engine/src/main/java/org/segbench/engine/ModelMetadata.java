package org.segbench.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.segbench.engine.frame.ChannelOrder;
import org.segbench.engine.frame.TensorLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What a model says about itself, per {@code docs/model-format.md}: class names and palette (as a
 * {@link LabelSet}), normalisation, default input size, and the descriptive keys. {@code raw} keeps
 * every key as found (strings), so tools can show keys this version does not know.
 */
public record ModelMetadata(
        String name,
        String description,
        String paper,
        String training,
        LabelSet labels,
        float[] mean,
        float[] std,
        Optional<Size> inputSize,
        Optional<Long> parameters,
        Optional<Double> valMiou,
        boolean reconstruction,
        Source source,
        Map<String, String> raw) {

    private static final Logger LOG = LoggerFactory.getLogger(ModelMetadata.class);
    /** Keys that mark {@code metadata_props} as ours (exporters add unrelated keys of their own). */
    private static final Set<String> KNOWN_KEYS = Set.of("classes", "palette", "mean", "std", "input_size", "dataset",
            "ignore_index", "description", "name", "layout", "channel_order");

    /** ImageNet statistics: what most segmentation backbones are trained with. */
    public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    /** Where the metadata came from. */
    public enum Source {
        /** ONNX {@code metadata_props}. */
        ONNX_METADATA,
        /** A sidecar {@code MODEL.onnx.json} file. */
        SIDECAR,
        /** Nothing found: defaults by class count. */
        DEFAULTS
    }

    public ModelMetadata {
        mean = mean.clone();
        std = std.clone();
        raw = Map.copyOf(raw);
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    /** Dataset the classes come from ({@code camvid}, {@code cityscapes}, or other text). */
    public String dataset() {
        return labels.dataset();
    }

    /** This metadata with another label set (a CLI {@code --dataset} override). */
    public ModelMetadata withLabels(LabelSet newLabels) {
        return new ModelMetadata(name, description, paper, training, newLabels, mean, std, inputSize, parameters,
                valMiou, reconstruction, source, raw);
    }

    /** This metadata with other normalisation (CLI {@code --mean/--std} overrides). */
    public ModelMetadata withNormalisation(float[] newMean, float[] newStd) {
        return new ModelMetadata(name, description, paper, training, labels, newMean, newStd, inputSize, parameters,
                valMiou, reconstruction, source, raw);
    }

    /** The images the model was trained on (key {@code training_images}); none when not declared. */
    public TrainingImages trainingImages() {
        String json = raw.get("training_images");
        return json == null ? TrainingImages.none() : TrainingImages.parse(json);
    }

    /** The {@code layout} key ({@code nchw|nhwc}), if the metadata has one. */
    public Optional<TensorLayout> declaredLayout() {
        return Optional.ofNullable(raw.get("layout")).map(TensorLayout::parse);
    }

    /** The {@code channel_order} key ({@code rgb|bgr}), if the metadata has one. */
    public Optional<ChannelOrder> declaredChannelOrder() {
        return Optional.ofNullable(raw.get("channel_order")).map(ChannelOrder::parse);
    }

    /**
     * The key/values a model declares, as {@link #find} would read them: its {@code metadata_props}
     * when they hold any of our keys, else its sidecar's, else none. For what must be known before
     * the session is open (the layout), so a malformed sidecar is reported here too.
     */
    public static Map<String, String> declared(Path model, Map<String, String> props) throws SegbenchException {
        if (props.keySet().stream().anyMatch(KNOWN_KEYS::contains)) {
            return props;
        }
        Path sidecar = sidecarOf(model);
        return Files.isRegularFile(sidecar) ? readSidecar(sidecar) : Map.of();
    }

    /** Where a model's sidecar is: {@code MODEL.onnx.json} beside it. */
    public static Path sidecarOf(Path model) {
        return model.resolveSibling(model.getFileName() + ".json");
    }

    private static Map<String, String> readSidecar(Path sidecar) throws SegbenchException {
        try {
            return sidecarToStrings(new ObjectMapper().readTree(sidecar.toFile()));
        } catch (IOException e) {
            throw new SegbenchException(sidecar, "unreadable sidecar metadata: " + e.getMessage().lines()
                    .findFirst().orElse("?"));
        }
    }

    /**
     * The metadata of a model file, in the order of {@code docs/model-format.md}: its ONNX
     * {@code metadata_props} when they hold any of our keys, else the sidecar
     * {@code MODEL.onnx.json}, else defaults by class count (logged as a warning).
     *
     * @param props      the model's {@code metadata_props}
     * @param classCount classes of the model's output, or -1 when unknown (label-map outputs)
     */
    public static ModelMetadata find(Path model, Map<String, String> props, int classCount) throws SegbenchException {
        String fallbackName = model.getFileName().toString().replaceFirst("\\.onnx$", "");
        if (props.keySet().stream().anyMatch(KNOWN_KEYS::contains)) {
            return parse(props, classCount, fallbackName, Source.ONNX_METADATA, model);
        }
        Path sidecar = sidecarOf(model);
        if (Files.isRegularFile(sidecar)) {
            return parse(readSidecar(sidecar), classCount, fallbackName, Source.SIDECAR, sidecar);
        }
        ModelMetadata defaults = defaults(classCount, fallbackName);
        LOG.warn("{}: no metadata and no sidecar {}; using defaults: {}", model.getFileName(),
                sidecar.getFileName(), defaults.labels());
        return defaults;
    }

    /**
     * Builds metadata from string key/values (ONNX {@code metadata_props}, or a sidecar converted by
     * {@link #sidecarToStrings}).
     *
     * @param classCount classes of the model's output, or -1 when unknown (label-map outputs)
     * @param fallbackName display name when the model has none (the file name)
     * @throws SegbenchException naming {@code file} when a value is malformed or disagrees with the model
     */
    public static ModelMetadata parse(Map<String, String> props, int classCount, String fallbackName, Source source,
                                      Path file) throws SegbenchException {
        ObjectMapper json = new ObjectMapper();
        try {
            List<String> names = null;
            if (props.containsKey("classes")) {
                names = new ArrayList<>();
                for (JsonNode n : tree(json, props, "classes", file)) {
                    names.add(n.asText());
                }
            }
            int n = names != null ? names.size() : classCount;
            if (names != null && classCount > 0 && names.size() != classCount) {
                throw new SegbenchException(file, "metadata lists " + names.size() + " classes but the model outputs "
                        + classCount);
            }
            String dataset = props.getOrDefault("dataset", "");
            LabelSet defaults = n > 0 ? LabelSet.defaultFor(n) : LabelSet.generated(255);
            int[] palette;
            try {
                palette = props.containsKey("palette") ? LabelSet.paletteOf(tree(json, props, "palette", file))
                        : defaults.palette();
            } catch (IllegalArgumentException e) {
                throw new SegbenchException(file, "metadata 'palette': " + e.getMessage());
            }
            if (palette.length != (names != null ? names.size() : defaults.size())) {
                throw new SegbenchException(file, "metadata palette has " + palette.length + " colours for "
                        + (names != null ? names.size() : defaults.size()) + " classes");
            }
            int ignore = props.containsKey("ignore_index") ? Integer.parseInt(props.get("ignore_index").trim())
                    : defaults.ignoreIndex();
            // checked here so a bad value is reported with the file, not later at first use
            checkKey(props, "layout", TensorLayout::parse, file);
            checkKey(props, "channel_order", ChannelOrder::parse, file);
            checkKey(props, "training_images", TrainingImages::parse, file);
            LabelSet labels = new LabelSet(dataset.isEmpty() ? defaults.dataset() : dataset,
                    names != null ? names : defaults.classes(), palette, ignore);
            return new ModelMetadata(
                    props.getOrDefault("name", fallbackName),
                    props.getOrDefault("description", ""),
                    props.getOrDefault("paper", ""),
                    props.getOrDefault("training", ""),
                    labels,
                    props.containsKey("mean") ? floats3(json, props.get("mean"), "mean", file) : IMAGENET_MEAN,
                    props.containsKey("std") ? floats3(json, props.get("std"), "std", file) : IMAGENET_STD,
                    Optional.ofNullable(props.get("input_size")).map(Size::parse),
                    Optional.ofNullable(props.get("parameters")).map(s -> Long.parseLong(s.trim())),
                    Optional.ofNullable(props.get("val_miou")).map(s -> Double.parseDouble(s.trim())),
                    Boolean.parseBoolean(props.getOrDefault("reconstruction", "false").trim()),
                    source,
                    props);
        } catch (JsonProcessingException e) {
            throw new SegbenchException(file, "metadata is not valid JSON where JSON is expected: "
                    + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            throw new SegbenchException(file, "bad metadata value: " + e.getMessage());
        }
    }

    /** The defaults for a model with no metadata at all. */
    public static ModelMetadata defaults(int classCount, String fallbackName) {
        LabelSet labels = classCount > 0 ? LabelSet.defaultFor(classCount) : LabelSet.generated(255);
        return new ModelMetadata(fallbackName, "", "", "", labels, IMAGENET_MEAN, IMAGENET_STD, Optional.empty(),
                Optional.empty(), Optional.empty(), false, Source.DEFAULTS, Map.of());
    }

    /** A sidecar's native JSON values as the strings {@code metadata_props} would hold. */
    public static Map<String, String> sidecarToStrings(JsonNode sidecar) {
        Map<String, String> out = new LinkedHashMap<>();
        sidecar.fields().forEachRemaining(e -> out.put(e.getKey(),
                e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
        return out;
    }

    private static void checkKey(Map<String, String> props, String key, Function<String, ?> parser, Path file)
            throws SegbenchException {
        if (props.containsKey(key)) {
            try {
                parser.apply(props.get(key));
            } catch (IllegalArgumentException e) {
                throw new SegbenchException(file, "metadata '" + key + "': " + e.getMessage());
            }
        }
    }

    /** The JSON value of one metadata key; a value that is not JSON is an error naming the key. */
    private static JsonNode tree(ObjectMapper json, Map<String, String> props, String key, Path file)
            throws SegbenchException {
        try {
            return json.readTree(props.get(key));
        } catch (JsonProcessingException e) {
            throw new SegbenchException(file, "metadata '" + key + "' is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static float[] floats3(ObjectMapper json, String text, String key, Path file)
            throws JsonProcessingException, SegbenchException {
        JsonNode a;
        try {
            a = json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new SegbenchException(file, "metadata '" + key + "' must be 3 numbers, got " + text);
        }
        if (!a.isArray() || a.size() != 3) {
            throw new SegbenchException(file, "metadata '" + key + "' must be 3 numbers, got " + text);
        }
        float[] out = new float[3];
        for (int i = 0; i < 3; i++) {
            // asDouble() would read "a" as 0: a silent wrong normalisation
            if (!a.get(i).isNumber() || !Double.isFinite(a.get(i).asDouble())) {
                throw new SegbenchException(file, "metadata '" + key + "' must be 3 numbers, got " + text);
            }
            out[i] = (float) a.get(i).asDouble();
        }
        if (key.equals("std") && (out[0] <= 0 || out[1] <= 0 || out[2] <= 0)) {
            throw new SegbenchException(file, "metadata 'std' must be > 0 (the input is divided by it), got " + text);
        }
        return out;
    }
}
