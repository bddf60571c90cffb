package org.sessionbridge.core.join;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JoinWindowTest {

  static final Instant START = Instant.parse("2030-03-10T14:00:00Z");
  static final Instant END = Instant.parse("2030-03-10T14:50:00Z");
  final JoinWindow window = new JoinWindow(Duration.ofMinutes(15), Duration.ZERO);

  @Test
  void opensFifteenMinutesBeforeAndClosesAtTheEnd() {
    assertThat(window.phase(START, END, START.minusSeconds(15 * 60 + 1)))
        .isEqualTo(JoinWindow.Phase.NOT_YET);
    assertThat(window.phase(START, END, START.minusSeconds(15 * 60)))
        .isEqualTo(JoinWindow.Phase.OPEN);
    assertThat(window.phase(START, END, END.minusNanos(1))).isEqualTo(JoinWindow.Phase.OPEN);
    assertThat(window.phase(START, END, END)).isEqualTo(JoinWindow.Phase.ENDED);
  }

  @Test
  void aGraceAfterTheEndKeepsItOpenThatLong() {
    JoinWindow grace = new JoinWindow(Duration.ZERO, Duration.ofMinutes(10));
    assertThat(grace.phase(START, END, START.minusNanos(1))).isEqualTo(JoinWindow.Phase.NOT_YET);
    assertThat(grace.phase(START, END, END.plusSeconds(599))).isEqualTo(JoinWindow.Phase.OPEN);
    assertThat(grace.phase(START, END, END.plusSeconds(600))).isEqualTo(JoinWindow.Phase.ENDED);
  }

  @Test
  void negativeMarginsAreRefused() {
    assertThatThrownBy(() -> new JoinWindow(Duration.ofMinutes(-1), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
