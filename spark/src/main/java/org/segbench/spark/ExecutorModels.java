package org.segbench.spark;

import org.apache.spark.broadcast.Broadcast;
import org.segbench.engine.ModelOptions;
import org.segbench.engine.SegbenchException;
import org.segbench.engine.SegmentationModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The models open in this JVM (an executor, or the driver in local mode), kept across tasks.
 * SynapseML opens one ONNX Runtime session per partition and closes it at the partition's end;
 * opening a segmentation model costs more than scoring a few frames, so here a session lives as
 * long as the executor: a task borrows an idle one for its (model hash, knobs, size, provider,
 * threads), or opens one when all are busy, and gives it back when the partition is done. So an
 * executor holds at most one session per setting per concurrently running task.
 */
final class ExecutorModels {
    private static final Map<Key, ConcurrentLinkedDeque<Lease>> IDLE = new ConcurrentHashMap<>();
    private static final List<Lease> ALL = new ArrayList<>();

    private ExecutorModels() {
    }

    /** What makes two sessions interchangeable. */
    private record Key(String sha256, ModelOptions options) {
    }

    /**
     * An idle session for the model and options, or a new one opened from the broadcast bytes
     * (read only then). Give it back with {@link Lease#close()}.
     */
    static Lease borrow(Broadcast<ModelBytes> model, String sha256, ModelOptions options) throws SegbenchException {
        Key key = new Key(sha256, options);
        Lease idle = IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>()).pollFirst();
        if (idle != null) {
            return idle;
        }
        ModelBytes bytes = model.value();
        SegmentationModel opened = open(bytes, options);
        Lease lease = new Lease(key, opened);
        synchronized (ALL) {
            ALL.add(lease);
        }
        return lease;
    }

    /**
     * Opens a model from its bytes, reporting a failure under the name the user gave the model
     * (not the local copy's): a model that does not load fails the job with the file and reason.
     */
    static SegmentationModel open(ModelBytes bytes, ModelOptions options) throws SegbenchException {
        Path local = localCopy(bytes);
        try {
            return SegmentationModel.load(local, options);
        } catch (SegbenchException e) {
            throw new SegbenchException(Path.of(bytes.path()), e.problem(), e);
        }
    }

    /**
     * The model written once per JVM (and per machine) under its hash, with its own file name
     * beside its sidecar, since the engine reads both from disk and names a model by its file.
     */
    static Path localCopy(ModelBytes bytes) throws SegbenchException {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "segbench-spark-models", bytes.sha256());
        Path file = dir.resolve(bytes.fileName());
        synchronized (ExecutorModels.class) {
            try {
                if (!Files.isRegularFile(file) || Files.size(file) != bytes.bytes().length) {
                    Files.createDirectories(dir);
                    if (bytes.sidecar() != null) {
                        write(dir, bytes.fileName() + ".json", bytes.sidecar());
                    }
                    write(dir, bytes.fileName(), bytes.bytes());
                }
            } catch (IOException e) {
                throw new SegbenchException(file, "cannot write the local copy of " + bytes.path() + ": " + e.getMessage());
            }
        }
        return file;
    }

    // another executor JVM on the same machine may be reading: a file appears whole or not at all
    private static void write(Path dir, String name, byte[] content) throws IOException {
        Path tmp = Files.createTempFile(dir, name, ".part");
        Files.write(tmp, content);
        Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Closes every session: the driver calls it after a local job, when no task is running. */
    static void closeAll() {
        synchronized (ALL) {
            ALL.forEach(l -> l.model.close());
            ALL.clear();
        }
        IDLE.clear();
    }

    /** A borrowed session and how many frames it has predicted (its first ones are burn-in for timing). */
    static final class Lease implements AutoCloseable {
        private final Key key;
        private final SegmentationModel model;
        private long predictions;

        private Lease(Key key, SegmentationModel model) {
            this.key = key;
            this.model = model;
        }

        SegmentationModel model() {
            return model;
        }

        /** Frames predicted before this one; counts the current one. */
        long countPrediction() {
            return predictions++;
        }

        /** Back to the idle ones, for the next task with the same setting. */
        @Override
        public void close() {
            IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>()).addFirst(this);
        }
    }
}
