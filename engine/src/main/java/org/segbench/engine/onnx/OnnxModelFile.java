package org.segbench.engine.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parts of an ONNX {@code ModelProto} that ONNX Runtime's Java API does not expose: the
 * initializers (for the parameter count and knob defaults), which graph inputs they back, and the
 * metadata. Read at the protobuf wire level with field numbers from {@code onnx.proto}, so no
 * generated ONNX classes are needed.
 *
 * <p>ONNX Runtime hides inputs that have an initializer ("overridable initializers") from its
 * input list, and the Java API refuses to feed names not in that list. {@link #withoutInitializers}
 * therefore drops the knob initializers, turning knobs into plain required inputs that the engine
 * always feeds (with the default unless the user set one).
 */
public final class OnnxModelFile {
    // ModelProto
    private static final int MODEL_GRAPH = 7;
    private static final int MODEL_METADATA_PROPS = 14;
    // GraphProto
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_INPUT = 11;
    // TensorProto
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_FLOAT_DATA = 4;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW_DATA = 9;
    private static final int TENSOR_DOUBLE_DATA = 10;
    private static final int TENSOR_DATA_LOCATION = 14;
    private static final int EXTERNAL = 1;
    // ValueInfoProto / StringStringEntryProto
    private static final int NAME_OR_KEY = 1;
    private static final int VALUE = 2;
    private static final int ONNX_FLOAT = 1;
    private static final int ONNX_DOUBLE = 11;

    /**
     * One initializer: name, ONNX data type, dims, its value when it is a scalar float, how many
     * of its float32 values are subnormal, and whether its data lives in an external file.
     */
    public record Initializer(String name, int dataType, long[] dims, Float scalarValue, int subnormals,
                              boolean external) {
        public long elements() {
            long n = 1;
            for (long d : dims) {
                n *= d;
            }
            return n;
        }
    }

    private final byte[] bytes;
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final List<Initializer> initializers = new ArrayList<>();
    private final Set<String> graphInputs = new LinkedHashSet<>();
    private boolean hasGraph;

    private OnnxModelFile(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * Parses a serialized ONNX model.
     *
     * @throws IOException when the bytes are not a protobuf ModelProto with a graph
     */
    public static OnnxModelFile parse(byte[] bytes) throws IOException {
        OnnxModelFile f = new OnnxModelFile(bytes);
        f.readModel();
        if (!f.hasGraph) {
            throw new IOException("no ONNX graph in the file");
        }
        return f;
    }

    public byte[] bytes() {
        return bytes;
    }

    /** {@code metadata_props} in file order. */
    public Map<String, String> metadata() {
        return metadata;
    }

    public List<Initializer> initializers() {
        return initializers;
    }

    /** Names of the graph's declared inputs, including those backed by initializers. */
    public Set<String> graphInputs() {
        return graphInputs;
    }

    /** Sum of the element counts of all initializers. */
    public long parameterCount() {
        return initializers.stream().mapToLong(Initializer::elements).sum();
    }

    /** float32 initializer values that are subnormal (see {@link SubnormalFloats}). */
    public long subnormalWeights() {
        return initializers.stream().mapToLong(Initializer::subnormals).sum();
    }

    /** Whether some initializer keeps its data in a file beside the model. */
    public boolean hasExternalData() {
        return initializers.stream().anyMatch(Initializer::external);
    }

    /** Scalar float initializers that also are graph inputs: the model's knobs, with defaults. */
    public Map<String, Float> knobDefaults() {
        Map<String, Float> knobs = new LinkedHashMap<>();
        for (Initializer i : initializers) {
            if (i.scalarValue() != null && graphInputs.contains(i.name())) {
                knobs.put(i.name(), i.scalarValue());
            }
        }
        return knobs;
    }

    /** The same model with the named initializers removed from the graph (inputs stay). */
    public byte[] withoutInitializers(Set<String> names) throws IOException {
        if (names.isEmpty()) {
            return bytes;
        }
        return rewrite(bytes, MODEL_GRAPH, graph -> rewrite(graph, GRAPH_INITIALIZER,
                tensor -> names.contains(firstString(tensor, TENSOR_NAME)) ? null : tensor));
    }

    /**
     * {@code model} (a serialized ModelProto) with every subnormal float32 initializer value
     * replaced by zero: in {@code raw_data} and in packed {@code float_data}, which is how ONNX
     * writers store them.
     */
    public static byte[] withSubnormalsFlushed(byte[] model) throws IOException {
        return rewrite(model, MODEL_GRAPH, graph -> rewrite(graph, GRAPH_INITIALIZER, tensor -> {
            if (firstInt(tensor, TENSOR_DATA_TYPE) != ONNX_FLOAT) {
                return tensor;
            }
            byte[] raw = rewrite(tensor, TENSOR_RAW_DATA, SubnormalFloats::flushed);
            return rewrite(raw, TENSOR_FLOAT_DATA, SubnormalFloats::flushed);
        }));
    }

    private void readModel() throws IOException {
        CodedInputStream in = stream(bytes);
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == MODEL_GRAPH && lengthDelimited(tag)) {
                hasGraph = true;
                readGraph(in.readBytes());
            } else if (field == MODEL_METADATA_PROPS && lengthDelimited(tag)) {
                readMetadataEntry(in.readBytes());
            } else if (!in.skipField(tag)) {
                break;
            }
        }
    }

    private void readMetadataEntry(ByteString entry) throws IOException {
        CodedInputStream in = stream(entry.toByteArray());
        String key = "";
        String value = "";
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == NAME_OR_KEY) {
                key = in.readStringRequireUtf8();
            } else if (field == VALUE) {
                value = in.readStringRequireUtf8();
            } else {
                in.skipField(tag);
            }
        }
        metadata.put(key, value);
    }

    private void readGraph(ByteString graph) throws IOException {
        CodedInputStream in = stream(graph.toByteArray());
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == GRAPH_INITIALIZER && lengthDelimited(tag)) {
                initializers.add(readTensor(in.readBytes().toByteArray()));
            } else if (field == GRAPH_INPUT && lengthDelimited(tag)) {
                graphInputs.add(firstString(in.readBytes().toByteArray(), NAME_OR_KEY));
            } else {
                in.skipField(tag);
            }
        }
    }

    private static Initializer readTensor(byte[] tensor) throws IOException {
        CodedInputStream in = stream(tensor);
        String name = "";
        int dataType = 0;
        List<Long> dims = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        byte[] raw = null;
        int subnormals = 0;
        boolean external = false;
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = WireFormat.getTagFieldNumber(tag);
            int wire = WireFormat.getTagWireType(tag);
            if (field == TENSOR_DIMS) {
                readRepeated(in, wire, CodedInputStream::readInt64, dims);
            } else if (field == TENSOR_DATA_TYPE) {
                dataType = in.readInt32();
            } else if (field == TENSOR_NAME) {
                name = in.readStringRequireUtf8();
            } else if (field == TENSOR_FLOAT_DATA && wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                // packed: little-endian floats, as raw_data
                byte[] run = in.readByteArray();
                subnormals += SubnormalFloats.count(run);
                ByteBuffer le = ByteBuffer.wrap(run).order(ByteOrder.LITTLE_ENDIAN);
                while (values.size() < 2 && le.remaining() >= 4) {
                    values.add((double) le.getFloat());
                }
            } else if (field == TENSOR_FLOAT_DATA) {
                float v = in.readFloat();
                subnormals += SubnormalFloats.isSubnormal(Float.floatToRawIntBits(v)) ? 1 : 0;
                if (values.size() < 2) {
                    values.add((double) v);
                }
            } else if (field == TENSOR_DOUBLE_DATA && values.size() < 2) {
                readRepeated(in, wire, CodedInputStream::readDouble, values);
            } else if (field == TENSOR_RAW_DATA) {
                raw = in.readByteArray();
            } else if (field == TENSOR_DATA_LOCATION) {
                external = in.readEnum() == EXTERNAL;
            } else {
                in.skipField(tag);
            }
        }
        if (dataType == ONNX_FLOAT && raw != null) {
            // data_type may follow raw_data in the message, so count once both are known
            subnormals += SubnormalFloats.count(raw);
        }
        long[] d = dims.stream().mapToLong(Long::longValue).toArray();
        long elements = 1;
        for (long x : d) {
            elements *= x;
        }
        Float scalar = null;
        if (elements == 1 && (dataType == ONNX_FLOAT || dataType == ONNX_DOUBLE)) {
            if (!values.isEmpty()) {
                scalar = values.get(0).floatValue();
            } else if (raw != null) {
                ByteBuffer le = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
                scalar = dataType == ONNX_FLOAT && raw.length == 4 ? le.getFloat()
                        : dataType == ONNX_DOUBLE && raw.length == 8 ? (float) le.getDouble() : null;
            }
        }
        return new Initializer(name, dataType, d, scalar, subnormals, external);
    }

    /** The first string in {@code field} of a message ({@code ""} when absent): a name, without reading the rest. */
    private static String firstString(byte[] message, int field) throws IOException {
        CodedInputStream in = stream(message);
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (WireFormat.getTagFieldNumber(tag) == field) {
                return in.readStringRequireUtf8();
            }
            in.skipField(tag);
        }
        return "";
    }

    /** The first varint in {@code field} of a message (0 when absent). */
    private static int firstInt(byte[] message, int field) throws IOException {
        CodedInputStream in = stream(message);
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (WireFormat.getTagFieldNumber(tag) == field && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_VARINT) {
                return in.readInt32();
            }
            in.skipField(tag);
        }
        return 0;
    }

    private interface FieldReader<T> {
        T read(CodedInputStream in) throws IOException;
    }

    /** A repeated scalar field, packed (one length-delimited run) or not (one value per tag). */
    private static <T> void readRepeated(CodedInputStream in, int wire, FieldReader<T> reader, List<T> into)
            throws IOException {
        if (wire != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            into.add(reader.read(in));
            return;
        }
        int limit = in.pushLimit(in.readRawVarint32());
        while (in.getBytesUntilLimit() > 0) {
            into.add(reader.read(in));
        }
        in.popLimit(limit);
    }

    private interface Transform {
        /** The replacement for one entry, or null to drop it. */
        byte[] apply(byte[] message) throws IOException;
    }

    /** Copies {@code message}, replacing each length-delimited {@code field} entry by {@code t} of it. */
    private static byte[] rewrite(byte[] message, int field, Transform t) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(message.length);
        CodedOutputStream out = CodedOutputStream.newInstance(buf);
        CodedInputStream in = stream(message);
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (WireFormat.getTagFieldNumber(tag) == field && lengthDelimited(tag)) {
                byte[] entry = t.apply(in.readByteArray());
                if (entry != null) {
                    out.writeByteArray(field, entry);
                }
            } else {
                in.skipField(tag, out);
            }
        }
        out.flush();
        return buf.toByteArray();
    }

    private static boolean lengthDelimited(int tag) {
        return WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
    }

    private static CodedInputStream stream(byte[] b) {
        CodedInputStream in = CodedInputStream.newInstance(b);
        in.setSizeLimit(Integer.MAX_VALUE);
        in.setRecursionLimit(1000);
        return in;
    }
}
