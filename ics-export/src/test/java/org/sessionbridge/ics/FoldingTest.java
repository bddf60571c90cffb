package org.sessionbridge.ics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FoldingTest {

  @Test
  void leavesALineOfExactly75OctetsAlone() {
    String line = "SUMMARY:" + "x".repeat(67);

    byte[] folded = Folding.fold(line + "\r\n");

    assertThat(new String(folded, StandardCharsets.US_ASCII)).isEqualTo(line + "\r\n");
  }

  @Test
  void foldsThe76thOctetOntoAContinuationLine() {
    String line = "SUMMARY:" + "x".repeat(68);

    byte[] folded = Folding.fold(line + "\r\n");

    assertThat(new String(folded, StandardCharsets.US_ASCII))
        .isEqualTo("SUMMARY:" + "x".repeat(67) + "\r\n x\r\n");
  }

  @Test
  void countsOctetsNotCharsAndNeverSplitsACodePoint() {
    for (String unit : List.of("é", "€", "日", "😀")) {
      for (int prefix = 0; prefix < 4; prefix++) {
        String line = "DESCRIPTION:" + "a".repeat(prefix) + unit.repeat(90);

        byte[] folded = Folding.fold(line + "\r\n");

        Wire.assertWellFormed(folded);
        assertThat(Wire.unfold(folded)).as(unit).containsExactly(line);
      }
    }
  }

  @Test
  void keepsTextEscapesOnOnePhysicalLine() {
    String line = "DESCRIPTION:" + "x".repeat(62) + "\\n\\;\\,\\\\" + "y".repeat(80);

    byte[] folded = Folding.fold(line + "\r\n");

    Wire.assertWellFormed(folded);
    for (byte[] physical : Wire.physicalLines(folded)) {
      int trailing = 0;
      for (int i = physical.length - 1; i >= 0 && physical[i] == '\\'; i--) {
        trailing++;
      }
      assertThat(trailing % 2).as("a line ends in half an escape").isZero();
    }
    assertThat(Wire.unfold(folded)).containsExactly(line);
  }

  @Test
  void foldsEachLogicalLineOnItsOwn() {
    String text = "A:" + "1".repeat(100) + "\r\nB:short\r\nC:" + "é".repeat(100) + "\r\n";

    byte[] folded = Folding.fold(text);

    Wire.assertWellFormed(folded);
    assertThat(Wire.unfold(folded))
        .containsExactly("A:" + "1".repeat(100), "B:short", "C:" + "é".repeat(100));
  }

  @Test
  void refusesABareLineBreakInsideAValue() {
    assertThatThrownBy(() -> Folding.fold("SUMMARY:a\nb\r\n"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> Folding.fold("SUMMARY:a\rb\r\n"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> Folding.fold("SUMMARY:no line end"))
        .isInstanceOf(IllegalStateException.class);
  }
}
