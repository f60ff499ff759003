package net.b4mad.successor.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import net.b4mad.successor.json.Json;
import org.junit.jupiter.api.Test;

class ChartsTest {

  private static BufferedImage decode(byte[] png) throws Exception {
    return ImageIO.read(new ByteArrayInputStream(png));
  }

  /** Some pixel of the image has exactly this colour. */
  private static boolean draws(BufferedImage image, java.awt.Color color) {
    for (int x = 0; x < image.getWidth(); x++) {
      for (int y = 0; y < image.getHeight(); y++) {
        if (image.getRGB(x, y) == color.getRGB()) {
          return true;
        }
      }
    }
    return false;
  }

  @Test
  void theLossCurveDrawsLossAndEvalLoss() throws Exception {
    List<tools.jackson.databind.JsonNode> metrics = List.of(
        Json.MAPPER.readTree("{\"step\": 1, \"loss\": 3.0}"),
        Json.MAPPER.readTree("{\"step\": 2, \"loss\": 2.0, \"eval_loss\": 2.5}"),
        Json.MAPPER.readTree("{\"step\": 3, \"loss\": 1.0, \"eval_loss\": 1.5}"));
    BufferedImage image = decode(LossCurve.png(metrics, "sft run"));
    assertEquals(640, image.getWidth());
    assertTrue(draws(image, PngCanvas.PALETTE[0]) && draws(image, PngCanvas.PALETTE[1]));
  }

  @Test
  void categoryBarsDrawOneColourPerRun() throws Exception {
    Map<String, Map<String, Double>> runs = new LinkedHashMap<>();
    runs.put("base", Map.of("delegation", 0.4, "bead_operations", 0.2));
    runs.put("sft-1", Map.of("delegation", 0.7, "bead_operations", 0.6));
    BufferedImage image = decode(CategoryBars.png(runs, "tool-call accuracy"));
    assertTrue(draws(image, PngCanvas.PALETTE[0]) && draws(image, PngCanvas.PALETTE[1]));
    assertTrue(!draws(image, PngCanvas.PALETTE[2]), "two runs, two colours");
  }
}
