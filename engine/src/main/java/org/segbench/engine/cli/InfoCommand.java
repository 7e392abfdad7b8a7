package org.segbench.engine.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.segbench.engine.Knob;
import org.segbench.engine.ModelMetadata;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.SegmentationModel;
import org.segbench.engine.Sidecar;
import org.segbench.engine.TensorPort;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import java.util.Arrays;
import java.io.PrintWriter;

/** {@code segbench info MODEL}: what a model is and how the engine will run it. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show a model's inputs, outputs, metadata, knobs and parameter count.")
final class InfoCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "MODEL", description = "ONNX model file.")
    Path model;

    @Mixin
    ModelFlags flags = new ModelFlags();

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the full result as JSON.")
    Path json;

    @Option(names = "--write-sidecar", description = "Write MODEL.onnx.json with everything detected, to edit.")
    boolean writeSidecar;

    @Option(names = "--overwrite", description = "With --write-sidecar: replace an existing sidecar.")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        flags.validate();
        Checks.modelFile(model);
        if (json != null) {
            Checks.writableFile(json);
        }
        Path sidecarFile = ModelMetadata.sidecarOf(model);
        if (writeSidecar && Files.exists(sidecarFile) && !overwrite) {
            // before loading: the answer does not depend on the model
            throw new SegbenchException(sidecarFile, "sidecar exists; give --overwrite to replace it");
        }
        try (SegmentationModel m = SegmentationModel.load(model, flags.options(null, false))) {
            print(m, out());
            if (json != null) {
                Json.write(json, toJson(m));
            }
            if (writeSidecar) {
                writeSidecar(m, sidecarFile);
            }
        }
        return 0;
    }

    private void writeSidecar(SegmentationModel m, Path file) throws SegbenchException {
        Sidecar sidecar = Sidecar.of(m);
        sidecar.write(file, overwrite);
        out().printf("Wrote       %s%n", file);
        if (!sidecar.guessed().isEmpty()) {
            out().printf("Guessed     %s (defaults nobody gave: check them)%n", String.join(", ", sidecar.guessed()));
        }
        if (!sidecar.detected().isEmpty()) {
            out().printf("Detected    %s (from the graph's shapes)%n", String.join(", ", sidecar.detected()));
        }
        if (m.metadata().source() == ModelMetadata.Source.ONNX_METADATA) {
            out().printf("Note        the model's own metadata_props take precedence over a sidecar%n");
        }
    }

    private static void print(SegmentationModel m, PrintWriter out) {
        ModelMetadata meta = m.metadata();
        out.printf("Model       %s  (%s)%n", m.name(), m.path());
        if (!meta.description().isEmpty()) {
            out.printf("About       %s%n", meta.description());
        }
        if (!meta.paper().isEmpty()) {
            out.printf("Paper       %s%n", meta.paper());
        }
        if (meta.reconstruction()) {
            out.printf("Note        a reconstruction of the network from its paper, not the authors' code%n");
        }
        out.printf("Metadata    %s%n", switch (meta.source()) {
            case ONNX_METADATA -> "ONNX metadata_props";
            case SIDECAR -> "sidecar " + m.path().getFileName() + ".json";
            case DEFAULTS -> "none: defaults for " + m.classCount() + " classes";
        });
        m.options().classMap().ifPresent(map -> out.printf("Class map   %s: the model's %d classes to %s%n",
                map.file(), m.classCount(), m.labels().dataset()));
        out.printf("Classes     %d (%s, ignore %d): %s%n", m.labels().size(), m.labels().dataset(),
                m.labels().ignoreIndex(), String.join(", ", m.labels().classes()));
        out.printf("Normalise   mean %s std %s%n", Arrays.toString(meta.mean()),
                Arrays.toString(meta.std()));
        out.printf("Tensors     %s in, %s out, %s%s%n", m.inputLayout().key(), m.outputLayout().key(),
                m.channelOrder().key(), m.layoutGiven() ? "" : " (layout detected from the shapes)");
        out.printf("Input size  %s%n", m.fixedInputSize().map(s -> s + " (fixed)")
                .orElse("dynamic (frame rounded to 32; default " + m.defaultInputSize() + ")"));
        for (TensorPort p : m.inputs()) {
            out.printf("Input       %s%n", p);
        }
        for (TensorPort p : m.outputs()) {
            out.printf("Output      %s%s%n", p, p.equals(m.output()) ? "  <- used (" + m.outputKind() + ")" : "");
        }
        if (m.knobs().isEmpty()) {
            out.printf("Knobs       none%n");
        }
        for (Knob k : m.knobs()) {
            out.printf("Knob        %s = %s (set with --set %s=VALUE)%n", k.name(), k.defaultValue(), k.name());
        }
        out.printf("Parameters  %,d (initializer elements)%s%n", m.parameterCount(),
                meta.parameters().map(p -> String.format("; metadata: %,d", p)).orElse(""));
        if (m.subnormalWeights() > 0) {
            out.printf("Subnormals  %,d weights below float32's normal range: %s%n", m.subnormalWeights(),
                    m.subnormalsFlushed() ? "flushed to zero at load (the CPU computes with them many times slower)"
                            : "kept (the weights are in external data)");
        }
        meta.valMiou().ifPresent(v -> out.printf("Val mIoU    %.1f%%%n", v));
        if (!meta.training().isEmpty()) {
            out.printf("Training    %s%n", meta.training());
        }
        if (!meta.trainingImages().isEmpty()) {
            out.printf("Trained on  %d listed images (training_images): `eval` says when it scores any of them%n",
                    meta.trainingImages().size());
        }
        out.printf("Provider    %s (%s)%n", m.provider(), m.providerNote());
    }

    static ObjectNode toJson(SegmentationModel m) {
        ObjectNode root = Json.object();
        root.put("model", m.path().toString());
        root.put("name", m.name());
        root.put("metadata_source", m.metadata().source().toString().toLowerCase());
        root.put("dataset", m.labels().dataset());
        root.put("classes", m.classCount());
        ArrayNode names = root.putArray("class_names");
        m.labels().classes().forEach(names::add);
        root.put("ignore_index", m.labels().ignoreIndex());
        ArrayNode inputs = root.putArray("inputs");
        m.inputs().forEach(p -> inputs.add(port(p)));
        ArrayNode outputs = root.putArray("outputs");
        m.outputs().forEach(p -> outputs.add(port(p)));
        root.put("output", m.output().name());
        root.put("output_kind", m.outputKind().toString().toLowerCase());
        root.put("layout", m.inputLayout().key());
        root.put("output_layout", m.outputLayout().key());
        root.put("channel_order", m.channelOrder().key());
        m.fixedInputSize().ifPresent(s -> root.put("fixed_input_size", s.toString()));
        ObjectNode knobs = root.putObject("knobs");
        m.knobs().forEach(k -> knobs.put(k.name(), k.defaultValue()));
        root.put("parameters", m.parameterCount());
        root.put("subnormal_weights", m.subnormalWeights());
        root.put("subnormals_flushed", m.subnormalsFlushed());
        ObjectNode meta = root.putObject("metadata");
        m.metadata().raw().forEach(meta::put);
        root.put("reconstruction", m.metadata().reconstruction());
        root.put("provider", m.provider().toString().toLowerCase());
        root.put("provider_note", m.providerNote());
        return root;
    }

    private static ObjectNode port(TensorPort p) {
        ObjectNode n = Json.object();
        n.put("name", p.name());
        n.put("type", p.type());
        ArrayNode shape = n.putArray("shape");
        for (long d : p.shape()) {
            shape.add(d);
        }
        return n;
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
