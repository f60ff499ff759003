package net.b4mad.successor.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/** The loss (and eval loss) over the steps of a run, drawn as a PNG with the JDK's own imaging, headless. */
public final class LossCurve {

  private static final int WIDTH = 640;
  private static final int HEIGHT = 400;
  private static final int MARGIN = 56;

  private LossCurve() {}

  public static byte[] png(List<JsonNode> metrics, String title) {
    List<double[]> loss = series(metrics, "loss");
    List<double[]> evalLoss = series(metrics, "eval_loss");
    PngCanvas canvas = new PngCanvas(WIDTH, HEIGHT, title);
    Graphics2D g = canvas.g;
    g.drawLine(MARGIN, HEIGHT - MARGIN, WIDTH - 16, HEIGHT - MARGIN);
    g.drawLine(MARGIN, 32, MARGIN, HEIGHT - MARGIN);
    List<double[]> all = new ArrayList<>(loss);
    all.addAll(evalLoss);
    if (all.isEmpty()) {
      g.drawString("no metrics logged yet", WIDTH / 2 - 60, HEIGHT / 2);
    } else {
      double maxStep = all.stream().mapToDouble(p -> p[0]).max().orElse(1);
      double minY = Math.min(0, all.stream().mapToDouble(p -> p[1]).min().orElse(0));
      double maxY = all.stream().mapToDouble(p -> p[1]).max().orElse(1);
      double[] box = {maxStep <= 0 ? 1 : maxStep, minY, maxY <= minY ? minY + 1 : maxY};
      g.drawString("step " + (long) maxStep, WIDTH - 90, HEIGHT - MARGIN + 20);
      g.drawString(String.format(Locale.ROOT, "%.3g", box[2]), 4, 40);
      g.drawString(String.format(Locale.ROOT, "%.3g", box[1]), 4, HEIGHT - MARGIN);
      plot(g, loss, box, PngCanvas.PALETTE[0], "loss", 0);
      plot(g, evalLoss, box, PngCanvas.PALETTE[1], "eval loss", 1);
    }
    return canvas.png();
  }

  private static void plot(Graphics2D g, List<double[]> points, double[] box, Color color, String label, int row) {
    if (points.isEmpty()) {
      return;
    }
    g.setColor(color);
    g.setStroke(new BasicStroke(2f));
    int previousX = -1;
    int previousY = -1;
    for (double[] point : points) {
      int x = MARGIN + (int) ((WIDTH - 16 - MARGIN) * point[0] / box[0]);
      int y = HEIGHT - MARGIN - (int) ((HEIGHT - MARGIN - 32) * (point[1] - box[1]) / (box[2] - box[1]));
      if (previousX >= 0) {
        g.drawLine(previousX, previousY, x, y);
      } else {
        g.fillOval(x - 2, y - 2, 4, 4);
      }
      previousX = x;
      previousY = y;
    }
    g.drawString(label, WIDTH - 110, 40 + 16 * row);
  }

  private static List<double[]> series(List<JsonNode> metrics, String field) {
    List<double[]> points = new ArrayList<>();
    for (JsonNode line : metrics) {
      if (line.path(field).isNumber() && Double.isFinite(line.path(field).asDouble())) {
        points.add(new double[] {line.path("step").asDouble(), line.path(field).asDouble()});
      }
    }
    return points;
  }
}
