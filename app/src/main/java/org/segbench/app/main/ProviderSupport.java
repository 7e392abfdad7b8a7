package org.segbench.app.main;

import org.segbench.engine.session.CudaSupport;

/** Whether this ONNX Runtime build can run on CUDA at all, and if not, why, in words for the menu. */
public final class ProviderSupport {
    private ProviderSupport() { }

    /** Empty when CUDA can be tried; else the reason it cannot (the engine's one CUDA check). */
    public static String cudaUnavailableReason() {
        return CudaSupport.unavailableReason().orElse("");
    }
}
