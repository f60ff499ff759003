package net.b4mad.successor.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

  /** transformers' get_cosine_schedule_with_warmup(warmup=2, total=10) at peak 1. */
  @Test
  void warmsUpLinearlyThenFollowsACosineToZero() {
    LearningRateSchedule schedule = new LearningRateSchedule(1.0, 2, 10, true);
    assertEquals(0.0, schedule.at(0));
    assertEquals(0.5, schedule.at(1));
    assertEquals(1.0, schedule.at(2));
    assertEquals(0.5 * (1 + Math.cos(Math.PI * 3 / 8)), schedule.at(5), 1e-12);
    assertEquals(0.5, schedule.at(6), 1e-12);
    assertEquals(0.5 * (1 + Math.cos(Math.PI * 7 / 8)), schedule.at(9), 1e-12);
    assertEquals(0.3, new LearningRateSchedule(0.3, 0, 10, false).at(9));
  }
}
