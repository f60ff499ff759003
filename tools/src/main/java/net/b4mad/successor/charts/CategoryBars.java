package net.b4mad.successor.charts;

import java.awt.Graphics2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** Grouped bars: for each category, one bar per run (a pass rate in [0, 1]), runs told apart by colour. */
public final class CategoryBars {

  private static final int HEIGHT = 420;
  private static final int MARGIN = 56;

  private CategoryBars() {}

  /** @param runs run label -> category -> rate, in the order the runs should appear */
  public static byte[] png(Map<String, Map<String, Double>> runs, String title) {
    List<String> categories = new ArrayList<>(new TreeSet<>(
        runs.values().stream().flatMap(rates -> rates.keySet().stream()).toList()));
    int groupWidth = Math.max(60, 22 * Math.max(1, runs.size()) + 24);
    int width = Math.max(480, MARGIN + 24 + groupWidth * Math.max(1, categories.size()) + 180);
    PngCanvas canvas = new PngCanvas(width, HEIGHT, title);
    Graphics2D g = canvas.g;
    int plotHeight = HEIGHT - MARGIN - 40;
    int baseline = HEIGHT - MARGIN;
    g.drawLine(MARGIN, baseline, width - 190, baseline);
    g.drawLine(MARGIN, 40, MARGIN, baseline);
    g.drawString("1.0", 24, 44);
    g.drawString("0.0", 24, baseline);
    int barWidth = (groupWidth - 24) / Math.max(1, runs.size());
    for (int c = 0; c < categories.size(); c++) {
      int x0 = MARGIN + 12 + c * groupWidth;
      int r = 0;
      for (Map<String, Double> rates : runs.values()) {
        Double rate = rates.get(categories.get(c));
        if (rate != null) {
          int barHeight = (int) Math.round(plotHeight * Math.max(0, Math.min(1, rate)));
          g.setColor(PngCanvas.PALETTE[r % PngCanvas.PALETTE.length]);
          g.fillRect(x0 + r * barWidth, baseline - barHeight, barWidth - 2, barHeight);
          g.setColor(java.awt.Color.DARK_GRAY);
          g.drawString(String.format(Locale.ROOT, "%.2f", rate), x0 + r * barWidth, baseline - barHeight - 3);
        }
        r++;
      }
      g.setColor(java.awt.Color.DARK_GRAY);
      String label = categories.get(c);
      g.drawString(label.length() > 18 ? label.substring(0, 17) + "…" : label, x0, baseline + 16);
    }
    int r = 0;
    for (String run : runs.keySet()) {
      g.setColor(PngCanvas.PALETTE[r % PngCanvas.PALETTE.length]);
      g.fillRect(width - 176, 44 + 18 * r, 10, 10);
      g.setColor(java.awt.Color.DARK_GRAY);
      g.drawString(run.length() > 24 ? run.substring(0, 23) + "…" : run, width - 160, 54 + 18 * r);
      r++;
    }
    return canvas.png();
  }
}
