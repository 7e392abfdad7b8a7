package org.segbench.engine;

import com.google.protobuf.CodedOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes minimal ONNX files of Identity nodes straight in protobuf (field numbers from
 * {@code onnx.proto}), for the shapes the zoo's fixtures do not cover, e.g. a model with no image
 * input. ONNX Runtime loads them like any other model.
 */
final class HandBuiltOnnx {
    private static final int FLOAT = 1;

    private HandBuiltOnnx() {
    }

    /** A tensor declaration: name and dims (-1 = dynamic). */
    record Port(String name, long... dims) {
    }

    /** One Identity node per input -> output pair; writes the model to {@code file}. */
    static Path identity(Path file, Port[] inputs, Port[] outputs) {
        try {
            byte[] graph = message(out -> {
                for (int i = 0; i < outputs.length; i++) {
                    String in = inputs[Math.min(i, inputs.length - 1)].name();
                    String o = outputs[i].name();
                    out.writeByteArray(1, message(node -> {
                        node.writeString(1, in);
                        node.writeString(2, o);
                        node.writeString(4, "Identity");
                    }));
                }
                out.writeString(2, "hand_built");
                for (Port p : inputs) {
                    out.writeByteArray(11, valueInfo(p));
                }
                for (Port p : outputs) {
                    out.writeByteArray(12, valueInfo(p));
                }
            });
            Files.write(file, model(graph));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code logits = image + bias} with a {@code 1 x 3 x 1 x 1} bias initializer; with
     * {@code external} the bias lives in {@code bias.bin} beside the model (ONNX external data).
     */
    static Path addBias(Path file, float[] bias, boolean external) {
        try {
            ByteBuffer le = ByteBuffer.allocate(bias.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (float b : bias) {
                le.putFloat(b);
            }
            byte[] raw = le.array();
            if (external) {
                Files.write(file.resolveSibling("bias.bin"), raw);
            }
            byte[] tensor = message(t -> {
                for (long d : new long[] {1, bias.length, 1, 1}) {
                    t.writeInt64(1, d);
                }
                t.writeInt32(2, FLOAT);
                t.writeString(8, "bias");
                if (external) {
                    t.writeByteArray(13, entry("location", "bias.bin"));
                    t.writeByteArray(13, entry("offset", "0"));
                    t.writeByteArray(13, entry("length", Integer.toString(raw.length)));
                    t.writeInt32(14, 1); // data_location = EXTERNAL
                } else {
                    t.writeByteArray(9, raw);
                }
            });
            Port in = new Port("image", 1, bias.length, -1, -2);
            Port out = new Port("logits", 1, bias.length, -1, -2);
            byte[] graph = message(g -> {
                g.writeByteArray(1, message(node -> {
                    node.writeString(1, "image");
                    node.writeString(1, "bias");
                    node.writeString(2, "logits");
                    node.writeString(4, "Add");
                }));
                g.writeString(2, "add_bias");
                g.writeByteArray(5, tensor);
                g.writeByteArray(11, valueInfo(in));
                g.writeByteArray(12, valueInfo(out));
            });
            Files.write(file, model(graph));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] model(byte[] graph) throws IOException {
        return message(out -> {
            out.writeInt64(1, 8); // ir_version
            out.writeString(2, "segbench-test");
            out.writeByteArray(7, graph);
            out.writeByteArray(8, message(opset -> {
                opset.writeString(1, "");
                opset.writeInt64(2, 17);
            }));
        });
    }

    private static byte[] entry(String key, String value) throws IOException {
        return message(e -> {
            e.writeString(1, key);
            e.writeString(2, value);
        });
    }

    private static byte[] valueInfo(Port p) throws IOException {
        byte[] shape = message(s -> {
            for (long d : p.dims()) {
                s.writeByteArray(1, message(dim -> {
                    if (d >= 0) {
                        dim.writeInt64(1, d);
                    } else {
                        dim.writeString(2, "d" + Math.abs(d));
                    }
                }));
            }
        });
        byte[] tensorType = message(t -> {
            t.writeInt32(1, FLOAT);
            t.writeByteArray(2, shape);
        });
        return message(v -> {
            v.writeString(1, p.name());
            v.writeByteArray(2, message(type -> type.writeByteArray(1, tensorType)));
        });
    }

    private interface Body {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] message(Body body) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(buf);
        body.write(out);
        out.flush();
        return buf.toByteArray();
    }
}
