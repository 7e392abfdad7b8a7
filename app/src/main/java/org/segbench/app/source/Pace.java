package org.segbench.app.source;

/** Who decides when the next frame is read. */
public enum Pace {
    /**
     * The source's own clock (a video's frame rate): what a live camera does. A pane slower than
     * the source drops frames, and its FPS is what it managed while frames kept coming.
     */
    REALTIME("real time"),
    /**
     * The models: the next frame is read once every pane has finished the current one. Nothing is
     * dropped, and every pane's FPS is the throughput of the slowest, so models compare fairly.
     */
    MODELS("models set the pace");

    private final String label;

    Pace(String label) {
        this.label = label;
    }

    @Override
    public String toString() {
        return label;
    }
}
