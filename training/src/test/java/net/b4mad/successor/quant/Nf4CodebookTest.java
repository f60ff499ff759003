package net.b4mad.successor.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.util.SplittableRandom;
import net.b4mad.successor.fixtures.SharedFixtures;
import net.b4mad.successor.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class Nf4CodebookTest {

  @Test
  void theValuesAreTheFixturesBitsandbytesCodebook() throws Exception {
    JsonNode fixture =
        Json.MAPPER.readTree(Files.readString(SharedFixtures.resolve("quant/nf4_codebook.json"))).path("nf4");
    assertEquals(16, fixture.size());
    for (int code = 0; code < 16; code++) {
      // The fixture's doubles are float32 values written out in full, so they must match exactly.
      assertEquals(fixture.get(code).asDouble(), Nf4Codebook.value(code), 0.0, "code " + code);
    }
    assertEquals(0f, Nf4Codebook.value(Nf4Codebook.ZERO_CODE));
  }

  /** The literals of bitsandbytes' dQuantizeNF4 decision tree, in code order, rounded to float as the C compiler does. */
  @Test
  void theThresholdsAreThoseOfBitsandbytesDecisionTree() {
    String[] literals = {
      "-0.8480964004993439", "-0.6106329262256622", "-0.4599952697753906", "-0.33967943489551544",
      "-0.23460740596055984", "-0.13791173323988914", "-0.045525018125772476", "0.03979014977812767",
      "0.1202552504837513", "0.2035212516784668", "0.2920137718319893", "0.3893125355243683",
      "0.5016634166240692", "0.6427869200706482", "0.8614784181118011"
    };
    for (int k = 0; k < literals.length; k++) {
      assertEquals(Float.parseFloat(literals[k]), Nf4Codebook.threshold(k), 0f, "threshold " + k);
    }
  }

  @Test
  void fourThresholdsAreNotTheFloatNearestTheirMidpoint() {
    for (int k = 0; k < 15; k++) {
      double midpoint = ((double) Nf4Codebook.value(k) + Nf4Codebook.value(k + 1)) / 2;
      float nearest = (float) midpoint;
      if (k == 0 || k == 8 || k == 12 || k == 14) {
        // The midpoint is exactly halfway between two floats; bitsandbytes' printed literal took the other one.
        assertEquals(Math.abs(nearest - midpoint), Math.abs(Nf4Codebook.threshold(k) - midpoint), 0.0, "threshold " + k);
        assertNotEquals(nearest, Nf4Codebook.threshold(k), "threshold " + k);
      } else {
        assertEquals(nearest, Nf4Codebook.threshold(k), "threshold " + k);
      }
    }
  }

  @Test
  void aValueOnAThresholdTakesTheLowerCodeAndTheNextFloatUpTheHigher() {
    for (int k = 0; k < 15; k++) {
      float t = Nf4Codebook.threshold(k);
      assertEquals(k, Nf4Codebook.code(t), "on threshold " + k);
      assertEquals(k, Nf4Codebook.code(Math.nextDown(t)));
      assertEquals(k + 1, Nf4Codebook.code(Math.nextUp(t)), "just above threshold " + k);
    }
  }

  @Test
  void everyOtherValueTakesTheNearestCode() {
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < 100_000; i++) {
      float x = (float) (random.nextDouble() * 2.2 - 1.1);
      int nearest = 0;
      for (int code = 1; code < 16; code++) {
        if (Math.abs((double) x - Nf4Codebook.value(code)) < Math.abs((double) x - Nf4Codebook.value(nearest))) {
          nearest = code;
        }
      }
      assertEquals(nearest, Nf4Codebook.code(x), "x = " + x);
    }
  }

  @Test
  void theEdgesFollowTheDecisionTree() {
    assertEquals(0, Nf4Codebook.code(-1f));
    assertEquals(15, Nf4Codebook.code(1f));
    assertEquals(15, Nf4Codebook.code(Math.nextUp(1f)));
    assertEquals(Nf4Codebook.ZERO_CODE, Nf4Codebook.code(0f));
    assertEquals(Nf4Codebook.ZERO_CODE, Nf4Codebook.code(-0f));
    assertEquals(0, Nf4Codebook.code(Float.NaN), "every comparison with NaN is false, so the tree ends at code 0");
  }
}
