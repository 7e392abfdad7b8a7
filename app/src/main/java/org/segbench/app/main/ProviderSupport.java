package org.segbench.app.main;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;

/** Whether this ONNX Runtime build can run on CUDA at all, and if not, why, in words for the menu. */
public final class ProviderSupport {
    private ProviderSupport() { }

    /** Empty when CUDA can be tried; else the reason it cannot. */
    public static String cudaUnavailableReason() {
        try {
            if (OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) return "";
            return "this ONNX Runtime build has no CUDA provider (CPU artifact; build with -Pgpu, needs CUDA 12 + cuDNN 9)";
        } catch (RuntimeException | LinkageError e) {
            return "ONNX Runtime could not list its providers: " + e.getMessage();
        }
    }
}
