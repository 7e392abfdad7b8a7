package org.segbench.app.notify;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

import javafx.geometry.Pos;
import javafx.stage.Window;
import javafx.util.Duration;

import org.controlsfx.control.Notifications;

/**
 * Tells the user about problems without a modal dialog, so a bad file never stops the work.
 * Every message names the file and the problem; a history is kept for the status bar and tests.
 */
public final class Notifier {
    public enum Level { INFO, WARNING, ERROR }

    public record Message(Level level, String title, String text) { }

    private final List<Message> history = new CopyOnWriteArrayList<>();
    private final List<Consumer<Message>> listeners = new CopyOnWriteArrayList<>();
    private final Executor fx;
    private volatile Window owner;

    /** @param fx runs on the FX thread: listeners and pop-ups are called there */
    public Notifier(Executor fx) { this.fx = fx; }

    public void setOwner(Window owner) { this.owner = owner; }

    public List<Message> history() { return List.copyOf(history); }

    public void addListener(Consumer<Message> l) { listeners.add(l); }

    public void info(String title, String text) { post(new Message(Level.INFO, title, text)); }

    public void warn(String title, String text) { post(new Message(Level.WARNING, title, text)); }

    /** An error about one file: the title carries the file name so it is visible at a glance. */
    public void error(String title, String text) { post(new Message(Level.ERROR, title, text)); }

    /** The message of a throwable and of its causes, which is where native libraries say what failed. */
    public static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null && sb.length() < 400; c = c.getCause()) {
            String m = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
            if (sb.indexOf(m) >= 0) continue;
            if (sb.length() > 0) sb.append(": ");
            sb.append(m);
        }
        return sb.toString();
    }

    private void post(Message m) {
        history.add(m);
        System.err.println("[" + m.level() + "] " + m.title() + " - " + m.text());
        Runnable show = () -> {
            listeners.forEach(l -> l.accept(m));
            if (owner == null || !owner.isShowing()) return;
            Notifications n = Notifications.create()
                    .owner(owner)
                    .title(m.title())
                    .text(m.text())
                    .position(Pos.BOTTOM_RIGHT)
                    .hideAfter(Duration.seconds(m.level() == Level.ERROR ? 8 : 4));
            switch (m.level()) {
                case ERROR -> n.showError();
                case WARNING -> n.showWarning();
                default -> n.showInformation();
            }
        };
        try {
            fx.execute(show);
        } catch (RejectedExecutionException e) {
            // the workbench is closing: the history and stderr have it
        }
    }
}
