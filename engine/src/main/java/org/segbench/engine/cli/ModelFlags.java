package org.segbench.engine.cli;

import org.segbench.engine.ClassMap;
import org.segbench.engine.ModelOptions;
import org.segbench.engine.NormalisationPreset;
import org.segbench.engine.Provider;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.Size;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import org.segbench.engine.frame.ChannelOrder;
import org.segbench.engine.frame.TensorLayout;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.util.Arrays;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Flags shared by every command that opens a model. */
final class ModelFlags {
    /**
     * The largest network input a Java buffer can hold: one float tensor of 3 x H x W must stay
     * under 2^31 bytes, the size limit of a {@code ByteBuffer}.
     */
    static final long MAX_INPUT_PIXELS = Integer.MAX_VALUE / (3L * Float.BYTES);

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--provider", defaultValue = "auto", paramLabel = "auto|cuda|cpu",
            converter = ProviderConverter.class,
            description = "Execution provider; auto tries CUDA, then CPU (default: ${DEFAULT-VALUE}).")
    Provider provider;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "ONNX Runtime intra-op threads, 1 to the number of cores; 0 = all cores (default).")
    int threads;

    @Option(names = "--output", paramLabel = "NAME",
            description = "Model output to use (default: the first segmentation-shaped one).")
    String output;

    @Option(names = "--set", paramLabel = "KNOB=VALUE", description = "Set a knob, e.g. --set skip_gain=0.")
    Map<String, Float> knobs = new LinkedHashMap<>();

    @Option(names = "--classes", paramLabel = "camvid|cityscapes",
            description = "Use this label set's class names and palette instead of the model's.")
    String classes;

    // arity 1..3 with split: both --mean=0.5,0.5,0.5 (the form the help shows) and --mean 0.5 0.5 0.5
    @Option(names = "--mean", split = ",", arity = "1..3", paramLabel = "R,G,B", hideParamSyntax = true,
            description = "Override the model's normalisation mean, RGB on the 0..1 scale,"
                    + " e.g. --mean=0.485,0.456,0.406.")
    float[] mean;

    @Option(names = "--std", split = ",", arity = "1..3", paramLabel = "R,G,B", hideParamSyntax = true,
            description = "Override the model's normalisation std (> 0), e.g. --std=0.229,0.224,0.225;"
                    + " the input is (x/255 - mean) / std.")
    float[] std;

    @Option(names = "--preset", paramLabel = "imagenet|unit|raw255", converter = PresetConverter.class,
            description = "Normalisation preset: imagenet (mean 0.485,0.456,0.406, std 0.229,0.224,0.225),"
                    + " unit (x/255: mean 0, std 1) or raw255 (x as 0..255: mean 0, std 1/255).")
    NormalisationPreset preset;

    /**
     * Checks the flags together, before any model is opened: a bad value is a usage error (exit
     * 2) with one line naming the option, never a failure halfway through the work.
     */
    void validate() {
        int cores = Runtime.getRuntime().availableProcessors();
        if (threads < 0 || threads > cores) {
            throw usage("--threads " + threads + ": give 1.." + cores + " (the cores of this machine), or 0 for all");
        }
        checkTriple("--mean", mean, false);
        checkTriple("--std", std, true);
        if (preset != null && (mean != null || std != null)) {
            throw usage("--preset sets both mean and std: give --preset or --mean/--std, not both");
        }
        for (Map.Entry<String, Float> k : knobs.entrySet()) {
            if (!Float.isFinite(k.getValue())) {
                throw usage("--set " + k.getKey() + "=" + k.getValue() + ": a knob value must be a finite number");
            }
        }
    }

    private void checkTriple(String name, float[] values, boolean positive) {
        if (values == null) {
            return;
        }
        String text = name + " " + Arrays.toString(values).replaceAll("[\\[\\] ]", "");
        if (values.length != 3) {
            throw usage(text + ": give 3 values, R,G,B (e.g. " + name + "=0.5,0.5,0.5), got " + values.length);
        }
        for (float v : values) {
            if (!Float.isFinite(v)) {
                throw usage(text + ": values must be finite numbers");
            }
            if (positive && v <= 0) {
                throw usage(text + ": std must be > 0 (the input is divided by it)");
            }
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(command.commandLine(), message);
    }

    ModelOptions options(Size inputSize, boolean scores) throws SegbenchException {
        return withFormat(ModelOptions.defaults()
                .withProvider(provider)
                .withThreads(threads)
                .withOutput(output)
                .withInputSize(inputSize)
                .withDataset(classes)
                .withNormalisation(preset != null ? preset.mean() : mean, preset != null ? preset.std() : std)
                .withScores(scores)
                .withKnobs(knobs));
    }

    // the model-format flags (issue 16), kept together
    @Option(names = "--layout", paramLabel = "nchw|nhwc", converter = LayoutConverter.class,
            description = "Tensor layout of the image input and the output (default: the model's, else detected).")
    TensorLayout layout;

    @Option(names = "--channel-order", paramLabel = "rgb|bgr", converter = ChannelOrderConverter.class,
            description = "Colour order the network takes (default: the model's channel_order, else rgb).")
    ChannelOrder channelOrder;

    @Option(names = "--class-map", paramLabel = "FILE",
            description = "Map the model's classes to a dataset's (JSON or CSV; see assets/class-maps/).")
    Path classMap;

    /** The options of the model-format flags: layout, channel order, class map. */
    private ModelOptions withFormat(ModelOptions o) throws SegbenchException {
        return o.withLayout(layout)
                .withChannelOrder(channelOrder)
                .withClassMap(classMap == null ? null : ClassMap.read(classMap));
    }

    static final class ProviderConverter implements CommandLine.ITypeConverter<Provider> {
        @Override
        public Provider convert(String value) {
            try {
                return Provider.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not a provider: give auto, cuda or cpu");
            }
        }
    }

    static final class PresetConverter implements CommandLine.ITypeConverter<NormalisationPreset> {
        @Override
        public NormalisationPreset convert(String value) {
            try {
                return NormalisationPreset.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class LayoutConverter implements CommandLine.ITypeConverter<TensorLayout> {
        @Override
        public TensorLayout convert(String value) {
            try {
                return TensorLayout.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class ChannelOrderConverter implements CommandLine.ITypeConverter<ChannelOrder> {
        @Override
        public ChannelOrder convert(String value) {
            try {
                return ChannelOrder.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code HxW}, positive, and small enough for the input tensor to fit one Java buffer. */
    static final class SizeConverter implements CommandLine.ITypeConverter<Size> {
        @Override
        public Size convert(String value) {
            Size s;
            try {
                s = Size.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
            if (s.pixels() > MAX_INPUT_PIXELS) {
                throw new TypeConversionException(String.format(
                        "%s is %,d pixels; the input tensor must stay under 2 GB, at most %,d pixels (e.g. 8192x21845)",
                        s, s.pixels(), MAX_INPUT_PIXELS));
            }
            return s;
        }
    }
}
