package org.segbench.app.prefs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.prefs.Preferences;

/** The last models the user opened, kept across runs in the user's Java preferences. */
public final class RecentModels {
    private static final int MAX = 8;
    private static final String KEY = "recentModels";
    private final Preferences prefs;

    public RecentModels(Preferences prefs) { this.prefs = prefs; }

    public static RecentModels forUser() {
        return new RecentModels(Preferences.userRoot().node("org/segbench/app"));
    }

    public List<Path> list() {
        List<Path> out = new ArrayList<>();
        for (String s : prefs.get(KEY, "").split("\n")) {
            if (s.isBlank()) continue;
            Path p = Path.of(s);
            if (Files.isRegularFile(p)) out.add(p);
        }
        return out;
    }

    public void add(Path model) {
        List<Path> l = new ArrayList<>(list());
        Path abs = model.toAbsolutePath().normalize();
        l.remove(abs);
        l.add(0, abs);
        while (l.size() > MAX) l.remove(l.size() - 1);
        StringBuilder sb = new StringBuilder();
        for (Path p : l) sb.append(p).append('\n');
        try {
            prefs.put(KEY, sb.toString());
            prefs.flush();
        } catch (Exception e) {
            // Preferences are a convenience; a read-only home must not break opening a model.
        }
    }
}
