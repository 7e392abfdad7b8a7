package org.segbench.engine;

import org.segbench.engine.frame.ChannelOrder;
import org.segbench.engine.frame.TensorLayout;

import java.util.Map;
import java.util.Optional;

/**
 * How to open a model. Start from {@link #defaults()} and change with the {@code with*} methods.
 *
 * @param provider    execution provider; {@code AUTO} tries CUDA then CPU
 * @param threads     intra-op threads for ONNX Runtime; 0 = its default (all cores)
 * @param output      name of the output to use; empty = the first segmentation-shaped one
 * @param inputSize   fixed input size for dynamic models; empty = frame size rounded to 32
 * @param dataset     label set to use instead of the model's ({@code camvid}, {@code cityscapes})
 * @param mean        RGB mean (0..1 scale) overriding the model's, or null
 * @param std         RGB std overriding the model's, or null
 * @param scores      compute the per-pixel top probability (hover readout); costs one softmax
 * @param knobs       initial knob values
 * @param layout      tensor layout overriding the model's metadata and the shape-based detection
 * @param channelOrder channel order overriding the model's ({@code channel_order}; RGB by default)
 * @param classMap    model classes to dataset classes ({@code --class-map}), applied to every
 *                    prediction; its dataset is {@code dataset} when given, else the map's own
 */
public record ModelOptions(Provider provider, int threads, Optional<String> output, Optional<Size> inputSize,
                           Optional<String> dataset, float[] mean, float[] std, boolean scores,
                           Map<String, Float> knobs, Optional<TensorLayout> layout,
                           Optional<ChannelOrder> channelOrder, Optional<ClassMap> classMap) {
    public ModelOptions {
        knobs = Map.copyOf(knobs);
    }

    public static ModelOptions defaults() {
        return new ModelOptions(Provider.AUTO, 0, Optional.empty(), Optional.empty(), Optional.empty(), null, null,
                true, Map.of(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public ModelOptions withLayout(TensorLayout l) {
        return new ModelOptions(provider, threads, output, inputSize, dataset, mean, std, scores, knobs,
                Optional.ofNullable(l), channelOrder, classMap);
    }

    public ModelOptions withChannelOrder(ChannelOrder order) {
        return new ModelOptions(provider, threads, output, inputSize, dataset, mean, std, scores, knobs, layout,
                Optional.ofNullable(order), classMap);
    }

    public ModelOptions withClassMap(ClassMap map) {
        return new ModelOptions(provider, threads, output, inputSize, dataset, mean, std, scores, knobs, layout,
                channelOrder, Optional.ofNullable(map));
    }

    public ModelOptions withProvider(Provider p) {
        return new ModelOptions(p, threads, output, inputSize, dataset, mean, std, scores, knobs,
                layout, channelOrder, classMap);
    }

    public ModelOptions withThreads(int n) {
        return new ModelOptions(provider, n, output, inputSize, dataset, mean, std, scores, knobs,
                layout, channelOrder, classMap);
    }

    public ModelOptions withOutput(String name) {
        return new ModelOptions(provider, threads, Optional.ofNullable(name), inputSize, dataset, mean, std, scores,
                knobs, layout, channelOrder, classMap);
    }

    public ModelOptions withInputSize(Size size) {
        return new ModelOptions(provider, threads, output, Optional.ofNullable(size), dataset, mean, std, scores,
                knobs, layout, channelOrder, classMap);
    }

    public ModelOptions withDataset(String name) {
        return new ModelOptions(provider, threads, output, inputSize, Optional.ofNullable(name), mean, std, scores,
                knobs, layout, channelOrder, classMap);
    }

    public ModelOptions withNormalisation(float[] m, float[] s) {
        return new ModelOptions(provider, threads, output, inputSize, dataset, m, s, scores, knobs,
                layout, channelOrder, classMap);
    }

    public ModelOptions withScores(boolean on) {
        return new ModelOptions(provider, threads, output, inputSize, dataset, mean, std, on, knobs,
                layout, channelOrder, classMap);
    }

    public ModelOptions withKnobs(Map<String, Float> values) {
        return new ModelOptions(provider, threads, output, inputSize, dataset, mean, std, scores, values,
                layout, channelOrder, classMap);
    }
}
