package org.segbench.app.pace;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.segbench.app.pane.PaneViewModel;
import org.segbench.app.source.PlayerViewModel;
import org.segbench.app.source.SourceFrame;

/**
 * Hands each new frame to the panes and tells the player when all of them have taken it out of
 * their mailboxes, so that when the models set the pace the next frame is handed out only then:
 * a pane's mailbox is always empty when a frame arrives, so none is dropped, and each pane finds
 * its next frame waiting when it is done with one. A fast pane can thus start frame N+1 while a
 * slow one still works on N, and no core waits for the slowest pane at every frame; the frame
 * rate is still the slowest pane's throughput, since N+2 waits until it has taken N+1.
 *
 * <p>A pane counts once it takes any frame after the newest one was handed out. Usually that is
 * the newest frame itself; a knob re-run of the current frame may replace it in the pane's
 * mailbox, and then waiting for that exact frame would stop playback for good.
 */
public final class PaneBarrier {
    private final PlayerViewModel player;
    private final Set<PaneViewModel> working = new HashSet<>();
    private long waitingFor = -1;

    public PaneBarrier(PlayerViewModel player) {
        this.player = player;
    }

    /** Tells the barrier when this pane takes a frame (call once per pane, when it is added). */
    public void attach(PaneViewModel pane) {
        pane.setOnTaken(this::taken);
    }

    /**
     * Gives a frame to every pane (FX thread). A new frame is waited for; the same frame again (a
     * re-run after a knob change, a pane added) goes to the panes without restarting the wait.
     */
    public void deliver(SourceFrame frame, List<PaneViewModel> panes) {
        boolean newFrame;
        synchronized (this) {
            newFrame = frame.serial() > waitingFor;
            if (newFrame) {
                waitingFor = frame.serial();
                working.clear();
                working.addAll(panes);
            }
        }
        for (PaneViewModel p : panes) p.submit(frame);
        if (newFrame && panes.isEmpty()) player.frameNotConsumed(frame.serial());
    }

    /** A pane took a frame out of its mailbox (its worker thread). */
    private void taken(PaneViewModel pane, SourceFrame frame) {
        long done;
        synchronized (this) {
            if (!working.remove(pane) || !working.isEmpty()) return;
            done = waitingFor;
        }
        player.frameDone(done);
    }

    /** A pane was removed: the frame no longer waits for it. */
    public void forget(PaneViewModel pane) {
        long done;
        synchronized (this) {
            if (!working.remove(pane) || !working.isEmpty()) return;
            done = waitingFor;
        }
        player.frameDone(done);
    }
}
