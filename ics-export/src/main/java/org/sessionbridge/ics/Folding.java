package org.sessionbridge.ics;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * RFC 5545 §3.1 line folding by octets: turns the unfolded, CRLF-terminated content lines that
 * iCal4j's {@code toString()} produces into UTF-8 bytes whose physical lines are at most 75 octets,
 * folding only between code points (never inside a multi-byte UTF-8 sequence) and never leaving an
 * empty continuation line.
 *
 * <p>iCal4j's own {@code FoldingWriter} counts UTF-16 chars, so accented or CJK text gives lines of
 * 85+ octets (checklist C2); this replaces it. It also keeps a TEXT escape ({@code \n}, {@code \;},
 * {@code \\}) on one physical line: splitting one is legal, but parsers that unescape before
 * unfolding exist.
 *
 * <p>It works on encoded bytes: each part is encoded once ({@code String.getBytes(UTF_8)}, an array
 * copy for ASCII), a counting pass sizes the result exactly, and a second pass copies runs of up to
 * 75 octets at once, each fold point found by stepping back over UTF-8 continuation bytes ({@code
 * 10xxxxxx}) and over half an escape. No Writer, no intermediate String of the whole component.
 */
final class Folding {

  /** Octets per physical line, excluding CRLF; a continuation line's leading space counts. */
  static final int MAX_OCTETS = 75;

  private Folding() {}

  /** Folds one String of complete content lines; see {@link #fold(List)}. */
  static byte[] fold(String unfolded) {
    return fold(List.of(unfolded));
  }

  /**
   * Folds and encodes, in order, parts that each hold one or more complete content lines (for
   * example one iCal4j {@code Property.toString()} each). Every line must end with CRLF, and no
   * value may hold a CR or LF of its own ({@link IcsText} guarantees that for everything we
   * render).
   *
   * @throws IllegalStateException on a bare CR or LF, which would mean a value escaped sanitising
   */
  static byte[] fold(List<String> parts) {
    var encoded = new byte[parts.size()][];
    int total = 0;
    for (int i = 0; i < encoded.length; i++) {
      byte[] src = parts.get(i).getBytes(StandardCharsets.UTF_8);
      encoded[i] = src;
      total = emit(src, null, total);
    }
    var out = new byte[total];
    int pos = 0;
    for (byte[] src : encoded) {
      pos = emit(src, out, pos);
    }
    return out;
  }

  /** Writes the folded lines of {@code src} at {@code pos} (or only counts them, without out). */
  private static int emit(byte[] src, byte @Nullable [] out, int pos) {
    int n = src.length;
    if (n < 2 || src[n - 2] != '\r' || src[n - 1] != '\n') {
      throw new IllegalStateException("content lines must end with CRLF");
    }
    int start = 0;
    while (start < n) {
      int end = lineEnd(src, start);
      int limit = MAX_OCTETS;
      while (end - start > limit) {
        int cut = start + limit;
        while ((src[cut] & 0xC0) == 0x80) {
          cut--; // never inside a UTF-8 sequence
        }
        int backslashes = 0;
        while (cut - backslashes - 1 >= start && src[cut - backslashes - 1] == '\\') {
          backslashes++;
        }
        if ((backslashes & 1) == 1) {
          cut--; // the escape's backslash goes to the next line with the escaped character
        }
        if (out != null) {
          System.arraycopy(src, start, out, pos, cut - start);
          out[pos + cut - start] = '\r';
          out[pos + cut - start + 1] = '\n';
          out[pos + cut - start + 2] = ' ';
        }
        pos += cut - start + 3;
        start = cut;
        limit = MAX_OCTETS - 1;
      }
      if (out != null) {
        System.arraycopy(src, start, out, pos, end + 2 - start);
      }
      pos += end + 2 - start;
      start = end + 2;
    }
    return pos;
  }

  /** Index of the CR that ends the line starting at {@code start}. */
  private static int lineEnd(byte[] src, int start) {
    for (int i = start; ; i++) {
      byte b = src[i];
      if (b == '\r' || b == '\n') {
        if (b == '\n' || src[i + 1] != '\n') {
          throw new IllegalStateException(
              "bare CR or LF inside a content line at octet " + i + " (a value was not sanitised)");
        }
        return i;
      }
    }
  }
}
