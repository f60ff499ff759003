package net.b4mad.successor.jobs;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import tools.jackson.databind.JsonNode;

/** The loss (and eval loss) over the steps of a run, drawn as a PNG with the JDK's own imaging, headless. */
public final class LossCurve {

  private static final int WIDTH = 640;
  private static final int HEIGHT = 400;
  private static final int MARGIN = 56;

  private LossCurve() {}

  public static byte[] png(List<JsonNode> metrics, String title) {
    System.setProperty("java.awt.headless", "true");
    List<double[]> loss = series(metrics, "loss");
    List<double[]> evalLoss = series(metrics, "eval_loss");
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, HEIGHT);
    g.setColor(Color.DARK_GRAY);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.drawString(title, MARGIN, 20);
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
      plot(g, loss, box, new Color(0x1f, 0x77, 0xb4), "loss", 0);
      plot(g, evalLoss, box, new Color(0xd6, 0x27, 0x28), "eval loss", 1);
    }
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
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
