package org.segbench.engine.cli;

import org.segbench.engine.ModelOptions;
import org.segbench.engine.Provider;
import org.segbench.engine.Size;
import picocli.CommandLine.Option;

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

    ModelOptions options(Size inputSize, boolean scores) {
        return ModelOptions.defaults()
                .withProvider(provider)
                .withThreads(threads)
                .withOutput(output)
                .withInputSize(inputSize)
                .withDataset(classes)
                .withNormalisation(mean, std)
                .withScores(scores)
                .withKnobs(knobs);
    }

    static final class ProviderConverter implements picocli.CommandLine.ITypeConverter<Provider> {
        @Override
        public Provider convert(String value) {
            return Provider.parse(value);
        }
    }

    static final class SizeConverter implements picocli.CommandLine.ITypeConverter<Size> {
        @Override
        public Size convert(String value) {
            return Size.parse(value);
        }
    }
}
