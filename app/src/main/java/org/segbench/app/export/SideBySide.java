package org.segbench.app.export;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.List;

/**
 * Lays pane pictures out as the window does (1, 1x2 or 2x2) at the frame's own resolution, each with
 * a title strip (model, provider, FPS), into one ARGB picture for the video recorder.
 */
public final class SideBySide {
    /** One pane's picture and its caption. */
    public record Tile(String caption, int[] argb, int width, int height) { }

    public static final int STRIP = 26;

    private SideBySide() { }

    /** Output size for n tiles of w x h, even in both directions (yuv420p). */
    public static int[] size(int n, int w, int h) {
        int cols = n <= 1 ? 1 : 2, rows = n <= 2 ? 1 : 2;
        return new int[] {(cols * w) & ~1, (rows * (h + STRIP)) & ~1};
    }

    public static int[] compose(List<Tile> tiles, int outW, int outH) {
        BufferedImage img = new BufferedImage(outW, outH, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(0x1f, 0x21, 0x25));
        g.fillRect(0, 0, outW, outH);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        int n = tiles.size();
        int cols = n <= 1 ? 1 : 2;
        int cellW = outW / cols, cellH = outH / (n <= 2 ? 1 : 2);
        for (int i = 0; i < n; i++) {
            Tile t = tiles.get(i);
            int x = (i % cols) * cellW, y = (i / cols) * cellH;
            g.setColor(new Color(0x25, 0x28, 0x2c));
            g.fillRect(x, y, cellW, STRIP);
            g.setColor(new Color(0xf1, 0xf3, 0xf5));
            g.drawString(t.caption(), x + 8, y + 18);
            if (t.argb() == null) continue;
            BufferedImage pic = new BufferedImage(t.width(), t.height(), BufferedImage.TYPE_INT_ARGB);
            System.arraycopy(t.argb(), 0, ((DataBufferInt) pic.getRaster().getDataBuffer()).getData(), 0, t.argb().length);
            g.drawImage(pic, x, y + STRIP, cellW, cellH - STRIP, null);
        }
        g.dispose();
        return ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
    }
}
