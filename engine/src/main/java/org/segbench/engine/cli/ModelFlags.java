package org.segbench.engine.cli;

import org.segbench.engine.ClassMap;
import org.segbench.engine.ModelOptions;
import org.segbench.engine.Provider;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.Size;
import org.segbench.engine.frame.ChannelOrder;
import org.segbench.engine.frame.TensorLayout;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Flags shared by every command that opens a model. */
final class ModelFlags {
    @Option(names = "--provider", defaultValue = "auto", paramLabel = "auto|cuda|cpu",
            converter = ProviderConverter.class,
            description = "Execution provider; auto tries CUDA, then CPU (default: ${DEFAULT-VALUE}).")
    Provider provider;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "ONNX Runtime intra-op threads; 0 = all cores (default).")
    int threads;

    @Option(names = "--output", paramLabel = "NAME",
            description = "Model output to use (default: the first segmentation-shaped one).")
    String output;

    @Option(names = "--set", paramLabel = "KNOB=VALUE", description = "Set a knob, e.g. --set skip_gain=0.")
    Map<String, Float> knobs = new LinkedHashMap<>();

    @Option(names = "--classes", paramLabel = "camvid|cityscapes",
            description = "Use this label set's class names and palette instead of the model's.")
    String classes;

    @Option(names = "--mean", split = ",", arity = "3", paramLabel = "R,G,B",
            description = "Override the model's normalisation mean (0..1 scale).")
    float[] mean;

    @Option(names = "--std", split = ",", arity = "3", paramLabel = "R,G,B",
            description = "Override the model's normalisation std.")
    float[] std;

    ModelOptions options(Size inputSize, boolean scores) throws SegbenchException {
        return withFormat(ModelOptions.defaults()
                .withProvider(provider)
                .withThreads(threads)
                .withOutput(output)
                .withInputSize(inputSize)
                .withDataset(classes)
                .withNormalisation(mean, std)
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

    static final class ProviderConverter implements picocli.CommandLine.ITypeConverter<Provider> {
        @Override
        public Provider convert(String value) {
            return Provider.parse(value);
        }
    }

    static final class LayoutConverter implements picocli.CommandLine.ITypeConverter<TensorLayout> {
        @Override
        public TensorLayout convert(String value) {
            try {
                return TensorLayout.parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class ChannelOrderConverter implements picocli.CommandLine.ITypeConverter<ChannelOrder> {
        @Override
        public ChannelOrder convert(String value) {
            try {
                return ChannelOrder.parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class SizeConverter implements picocli.CommandLine.ITypeConverter<Size> {
        @Override
        public Size convert(String value) {
            return Size.parse(value);
        }
    }
}
