package org.segbench.engine.session;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ONNX Runtime thread pool for every session in the process, instead of one per session.
 *
 * <p>Each session normally starts its own intra-op pool sized to every core, with spinning on. A
 * program running several models at once (the workbench's panes) then has one pool per model on the
 * same cores: on two cores, four panes are eight busy-waiting threads fighting the decoder, the
 * renderer and each other. ONNX Runtime's answer is the global pool: the environment is created
 * with {@code ThreadingOptions} and every session opts out of its own threads. It has to be
 * installed before anything creates the environment (the JVM holds only one); the command line
 * does not install it, so {@code segbench bench} measures a session with its own tuned pool.
 */
public final class SharedThreadPool {
    private static final Logger LOG = LoggerFactory.getLogger(SharedThreadPool.class);
    private static volatile boolean installed;

    private SharedThreadPool() {
    }

    /**
     * Creates the process's ONNX Runtime environment with one shared intra-op pool. Sessions opened
     * afterwards use it; a second call does nothing.
     *
     * @param intraOpThreads threads of the shared pool; 0 = ONNX Runtime's choice (one per core)
     * @param spinning       let idle pool threads busy-wait between parallel sections
     * @return false when an environment already existed (sessions keep their own pools; logged)
     */
    public static synchronized boolean install(int intraOpThreads, boolean spinning) {
        if (installed) {
            return true;
        }
        try (OrtEnvironment.ThreadingOptions threading = new OrtEnvironment.ThreadingOptions()) {
            if (intraOpThreads > 0) {
                threading.setGlobalIntraOpNumThreads(intraOpThreads);
            }
            threading.setGlobalInterOpNumThreads(1);
            threading.setGlobalSpinControl(spinning);
            OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, "segbench", threading);
            installed = true;
            return true;
        } catch (IllegalStateException | OrtException e) {
            LOG.warn("no shared ONNX Runtime thread pool, each session keeps its own: {}", e.getMessage());
            return false;
        }
    }

    /** True when sessions opened now share one pool. */
    public static boolean installed() {
        return installed;
    }

    /** Makes a session use the shared pool when one is installed. */
    static void applyTo(OrtSession.SessionOptions options) throws OrtException {
        if (installed) {
            options.disablePerSessionThreads();
        }
    }
}
