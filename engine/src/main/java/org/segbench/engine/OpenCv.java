package org.segbench.engine;

import org.bytedeco.javacpp.Loader;

/**
 * Loads the native OpenCV behind {@code org.opencv.*} (bytedeco's {@code opencv_java}). Every
 * engine class that touches a {@code Mat} calls {@link #load()} first; callers using {@code Mat}
 * themselves (e.g. the app) should too. JavaCPP unpacks the natives to {@code ~/.javacpp/cache} on
 * first use, which is slow once.
 */
public final class OpenCv {
    private static volatile boolean loaded;

    private OpenCv() {
    }

    public static void load() {
        if (!loaded) {
            synchronized (OpenCv.class) {
                if (!loaded) {
                    Loader.load(org.bytedeco.opencv.opencv_java.class);
                    loaded = true;
                }
            }
        }
    }
}
