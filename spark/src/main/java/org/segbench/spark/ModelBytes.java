package org.segbench.spark;

import org.segbench.engine.SegbenchException;

import java.io.Serializable;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A model file's bytes, read once on the driver and broadcast to every executor (SynapseML's
 * ONNXModel does the same with its payload), with its sidecar metadata when it has one.
 *
 * @param path     the model as the user named it: what the rows and the JSON call it
 * @param fileName its file name, kept for the local copy (the engine names a model by it)
 * @param sha256   content hash: executors share sessions, and local copies, by it
 * @param sidecar  the bytes of {@code MODEL.onnx.json}, or null when there is none
 */
record ModelBytes(String path, String fileName, String sha256, byte[] bytes, byte[] sidecar) implements Serializable {

    /** Reads a model (and its sidecar) through the Hadoop file system. */
    static ModelBytes read(HadoopFiles files, String path) throws SegbenchException {
        if (!files.exists(path)) {
            throw new SegbenchException(java.nio.file.Path.of(path), "no such model file");
        }
        byte[] bytes = files.readAll(path);
        String sidecarPath = path + ".json";
        byte[] sidecar = files.exists(sidecarPath) ? files.readAll(sidecarPath) : null;
        String name = new org.apache.hadoop.fs.Path(path).getName();
        return new ModelBytes(path, name, sha256(bytes), bytes, sidecar);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return path + " (" + sha256.substring(0, 12) + ", " + bytes.length + " bytes)";
    }
}
