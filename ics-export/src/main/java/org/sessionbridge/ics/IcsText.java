package org.sessionbridge.ics;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Makes caller text safe to hand to iCal4j. iCal4j escapes TEXT values ({@code \\ ; ,} and {@code
 * \r?\n}) and RFC 6868-encodes parameter values, so nothing here escapes; it only removes what
 * those codecs let through:
 *
 * <ul>
 *   <li>a lone CR, which iCal4j's {@code PropertyCodec} does not escape and which would end the
 *       content line on the wire;
 *   <li>other line breaks that some parsers split on (Python's {@code str.splitlines()}, used by
 *       python-icalendar, breaks at VT, FF, FS/GS/RS, NEL, U+2028 and U+2029);
 *   <li>control characters, which RFC 5545 §3.1 forbids in content lines (C3);
 *   <li>unpaired surrogates, which have no UTF-8 form.
 * </ul>
 *
 * URI-valued properties (URL, CONFERENCE, ORGANIZER, ATTENDEE) are written raw by iCal4j, so their
 * values are checked rather than cleaned: a bad one fails fast, naming the event but never the link
 * or address (both are sensitive).
 */
final class IcsText {

  private IcsText() {}

  /** A TEXT value: every line break becomes LF (escaped as {@code \n}), other controls go. */
  static String text(String value) {
    if (isClean(value)) {
      return value;
    }
    var out = new StringBuilder(value.length());
    int n = value.length();
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c == '\r') {
        out.append('\n');
        if (i + 1 < n && value.charAt(i + 1) == '\n') {
          i++;
        }
      } else if (isLineBreak(c)) {
        out.append('\n');
      } else if (isControl(c)) {
        // dropped: a BEL or NUL carries nothing a calendar could show
      } else if (Character.isHighSurrogate(c)) {
        if (i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
          out.append(c).append(value.charAt(++i));
        } else {
          out.append('\uFFFD');
        }
      } else if (Character.isLowSurrogate(c)) {
        out.append('\uFFFD');
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * A parameter value (CN, LABEL): one line, no DQUOTE and no backslash. iCal4j would RFC
   * 6868-encode a quote as {@code ^'}, which Outlook and older parsers show literally; an
   * apostrophe reads the same. A backslash is legal in a quoted parameter value, but parsers that
   * treat it as an escape drop it (iCal4j's own {@code CalendarBuilder} does), so it becomes a
   * slash. iCal4j then quotes the value when it contains {@code : ; ,} or non-ASCII text.
   */
  static String param(String value) {
    String text = text(value);
    if (text.indexOf('\n') < 0 && text.indexOf('"') < 0 && text.indexOf('\\') < 0) {
      return text;
    }
    return text.replace('\n', ' ').replace('"', '\'').replace('\\', '/');
  }

  /**
   * An absolute https link (the contract's {@link IcsEvent.JoinLink#url()}), checked character by
   * character because iCal4j writes URI values raw. Plain http is accepted only for a loopback host
   * (the demo's in-process Zoom fake); no link a client receives from a real platform is one.
   */
  static URI link(String url, String uid) {
    if (!isUriSafe(url)) {
      throw new IllegalArgumentException(
          "join link of event "
              + uid
              + " must be an absolute https URI of printable ASCII without spaces or quotes");
    }
    try {
      var uri = new URI(url);
      String scheme = uri.getScheme();
      boolean loopback =
          "http".equalsIgnoreCase(scheme)
              && uri.getHost() != null
              && (uri.getHost().equals("127.0.0.1") || uri.getHost().equals("localhost"));
      if (!("https".equalsIgnoreCase(scheme) || loopback) || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "join link of event " + uid + " must be an absolute https URI with a host");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "join link of event " + uid + " is not a valid URI (RFC 3986)", e);
    }
  }

  /** A {@code mailto:} calendar address for ORGANIZER or ATTENDEE. */
  static URI mailto(String email, String uid) {
    int at = email.indexOf('@');
    boolean shaped = at > 0 && at == email.lastIndexOf('@') && at < email.length() - 1;
    for (int i = 0; shaped && i < email.length(); i++) {
      char c = email.charAt(i);
      shaped = c > ' ' && c != 0x7F && !(c >= 0x80 && c <= 0x9F) && "\"<>()[]\\,;:".indexOf(c) < 0;
    }
    if (!shaped) {
      throw new IllegalArgumentException(
          "an e-mail address in the invitation for event "
              + uid
              + " is not a plain addr-spec (one @, no spaces, quotes, brackets, commas or colons)");
    }
    try {
      return new URI("mailto:" + email);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "an e-mail address in the invitation for event " + uid + " is not a valid mailto URI", e);
    }
  }

  private static boolean isClean(String value) {
    for (int i = 0, n = value.length(); i < n; i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (c < 0x20 && c != '\t' && c != '\n'
          || c >= 0x7F && c <= 0x9F
          || c == '\u2028'
          || c == '\u2029'
          || Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isLineBreak(char c) {
    return c == '\n'
        || c == 0x0B
        || c == 0x0C
        || (c >= 0x1C && c <= 0x1E)
        || c == 0x85
        || c == '\u2028'
        || c == '\u2029';
  }

  private static boolean isControl(char c) {
    return (c < 0x20 && c != '\t') || (c >= 0x7F && c <= 0x9F);
  }

  private static boolean isUriSafe(String url) {
    if (url.isEmpty()) {
      return false;
    }
    for (int i = 0, n = url.length(); i < n; i++) {
      char c = url.charAt(i);
      if (c <= ' ' || c >= 0x7F || "\"<>\\^`{|}".indexOf(c) >= 0) {
        return false;
      }
    }
    return true;
  }
}
