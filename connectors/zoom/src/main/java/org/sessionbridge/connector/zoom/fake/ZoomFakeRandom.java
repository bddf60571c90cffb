package org.sessionbridge.connector.zoom.fake;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Ids, tokens and passcodes in the shapes Zoom uses (API-NOTES §1.2). Thread-safe. */
final class ZoomFakeRandom {

  private static final String PASSCODE_CHARS =
      "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

  private final SecureRandom random = new SecureRandom();

  /** An int64 meeting id with 11 digits, like {@code 92674392836}. */
  long meetingId() {
    return 10_000_000_000L + (long) (random.nextDouble() * 89_999_999_999L);
  }

  /** Like {@code aDYlohsHRtCd4ii1uC2+hA==}: standard Base64 of 16 bytes. */
  String meetingUuid() {
    return Base64.getEncoder().encodeToString(bytes(16));
  }

  /** Like {@code 30R7kT7bTIKSNUFEuH_Qlg}: URL-safe Base64 of 16 bytes, no padding. */
  String userId() {
    return urlSafe(16);
  }

  /** An opaque bearer or refresh token. */
  String token() {
    return urlSafe(32);
  }

  String passcode() {
    StringBuilder code = new StringBuilder(6);
    for (int i = 0; i < 6; i++) {
      code.append(PASSCODE_CHARS.charAt(random.nextInt(PASSCODE_CHARS.length())));
    }
    return code.toString();
  }

  String digits(int count) {
    StringBuilder code = new StringBuilder(count);
    for (int i = 0; i < count; i++) {
      code.append((char) ('0' + random.nextInt(10)));
    }
    return code.toString();
  }

  String urlSafe(int byteCount) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(byteCount));
  }

  /** {@code x-zm-trackingid}: Zoom's own values look like {@code v=2.0;clid=us06;rid=WEB_…}. */
  String trackingId() {
    return "v=2.0;clid=fake;rid=WEB_" + HexFormat.of().formatHex(bytes(16));
  }

  private byte[] bytes(int count) {
    byte[] bytes = new byte[count];
    random.nextBytes(bytes);
    return bytes;
  }
}
