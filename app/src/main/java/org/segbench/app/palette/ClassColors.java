package org.segbench.app.palette;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

/**
 * The class colours a user chose in the legend, remembered per model file across runs: one
 * preferences node per model (named by a hash of its absolute path: node names are limited to 80
 * characters), class name to {@code #RRGGBB}. A read-only or broken store is not an error: colours
 * are a convenience.
 */
public final class ClassColors {
    private final Preferences root;

    public ClassColors(Preferences root) { this.root = root; }

    /** The user's colours; the tests point {@code segbench.palettes.node} at a node of their own. */
    public static ClassColors forUser() {
        return new ClassColors(Preferences.userRoot().node(
                System.getProperty("segbench.palettes.node", "org/segbench/app/palettes")));
    }

    /** The colours chosen for a model's classes, class name to packed {@code 0xRRGGBB}. */
    public Map<String, Integer> load(Path model) {
        Map<String, Integer> out = new LinkedHashMap<>();
        try {
            String node = nodeName(model);
            if (!root.nodeExists(node)) return out;
            Preferences p = root.node(node);
            for (String name : p.keys()) {
                String v = p.get(name, "");
                if (v.matches("#[0-9a-fA-F]{6}")) out.put(name, Integer.parseInt(v.substring(1), 16));
            }
        } catch (BackingStoreException | IllegalStateException e) {
            // nothing remembered, then
        }
        return out;
    }

    /** Remembers one class colour of a model. */
    public void save(Path model, String className, int rgb) {
        try {
            Preferences p = root.node(nodeName(model));
            p.put(className, String.format("#%06X", rgb & 0xFFFFFF));
            p.flush();
        } catch (BackingStoreException | IllegalArgumentException | IllegalStateException e) {
            // a read-only home must not break recolouring
        }
    }

    /** Forgets every colour chosen for a model. */
    public void clear(Path model) {
        try {
            String node = nodeName(model);
            if (root.nodeExists(node)) root.node(node).removeNode();
            root.flush();
        } catch (BackingStoreException | IllegalStateException e) {
            // nothing to forget
        }
    }

    static String nodeName(Path model) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest(model.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
