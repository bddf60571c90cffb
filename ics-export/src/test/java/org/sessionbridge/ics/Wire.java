package org.sessionbridge.ics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.data.ParserException;
import net.fortuna.ical4j.model.Calendar;

/** Byte-level checks of RFC 5545 §3.1 and a parse-back with iCal4j's own parser. */
final class Wire {

  private Wire() {}

  /** CRLF only, ends with CRLF, strict UTF-8, ≤ 75 octets a line, folds between code points. */
  static void assertWellFormed(byte[] ics) {
    assertThat(ics.length > 2 && ics[0] == (byte) 0xEF && ics[1] == (byte) 0xBB)
        .as("starts with a BOM")
        .isFalse();
    decodeStrictly(ics);
    assertThat(ics.length).isGreaterThan(2);
    assertThat(Arrays.copyOfRange(ics, ics.length - 2, ics.length))
        .as("ends with CRLF")
        .containsExactly('\r', '\n');
    for (int i = 0; i < ics.length; i++) {
      if (ics[i] == '\n') {
        assertThat(i > 0 && ics[i - 1] == '\r').as("LF at byte %d is preceded by CR", i).isTrue();
      }
      if (ics[i] == '\r') {
        assertThat(i + 1 < ics.length && ics[i + 1] == '\n')
            .as("CR at byte %d is followed by LF", i)
            .isTrue();
      }
    }
    List<byte[]> lines = physicalLines(ics);
    for (int n = 0; n < lines.size(); n++) {
      byte[] line = lines.get(n);
      assertThat(line.length).as("octets on line %d", n + 1).isLessThanOrEqualTo(75);
      assertThat(line.length).as("line %d is empty", n + 1).isPositive();
      for (byte b : line) {
        assertThat(b >= 0 && b < 0x20 && b != '\t' || b == 0x7F)
            .as("control character 0x%02X on line %d", b, n + 1)
            .isFalse();
      }
      if (line[0] == ' ' || line[0] == '\t') {
        assertThat(line.length)
            .as("continuation line %d only holds the fold", n + 1)
            .isGreaterThan(1);
        assertThat(line[1] & 0xC0)
            .as("continuation line %d starts inside a UTF-8 sequence", n + 1)
            .isNotEqualTo(0x80);
      }
      // each physical line must itself be whole UTF-8: no sequence crosses a fold
      decodeStrictly(line);
    }
  }

  /** Physical lines without their CRLF. */
  static List<byte[]> physicalLines(byte[] ics) {
    var lines = new ArrayList<byte[]>();
    int start = 0;
    for (int i = 0; i + 1 < ics.length; i++) {
      if (ics[i] == '\r' && ics[i + 1] == '\n') {
        lines.add(Arrays.copyOfRange(ics, start, i));
        start = i + 2;
        i++;
      }
    }
    return lines;
  }

  /** Logical content lines: RFC 5545 unfolding (CRLF followed by one space or tab goes). */
  static List<String> unfold(byte[] ics) {
    return unfold(new String(ics, StandardCharsets.UTF_8));
  }

  static List<String> unfold(String ics) {
    String unfolded = ics.replace("\r\n ", "").replace("\r\n\t", "");
    var lines = new ArrayList<>(List.of(unfolded.split("\r\n", -1)));
    assertThat(lines.remove(lines.size() - 1)).isEmpty();
    return lines;
  }

  static Calendar parse(byte[] ics) {
    try {
      return new CalendarBuilder().build(new ByteArrayInputStream(ics));
    } catch (IOException | ParserException e) {
      return fail("iCal4j cannot parse its own output back: " + e.getMessage(), e);
    }
  }

  private static String decodeStrictly(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return fail("not valid UTF-8: " + e);
    }
  }
}
