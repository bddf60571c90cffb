package org.sessionbridge.core.practice;

import java.security.SecureRandom;
import java.util.Base64;
import org.sessionbridge.core.store.Sha256;

/**
 * Practice API keys: 256 random bits from a CSPRNG, prefixed so leaked keys are easy to spot in
 * secret scanners. Only the SHA-256 of a key is stored; a fast hash is enough because the key
 * itself carries 256 bits of entropy (nothing to brute-force, unlike a password).
 */
public final class ApiKeys {

  static final String PREFIX = "sbk_";
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeys() {}

  public static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static String hash(String key) {
    return Sha256.hex(key);
  }

  /** The first characters of a key, safe to show so a practice can tell its keys apart. */
  static String hint(String key) {
    return key.substring(0, PREFIX.length() + 4) + "…";
  }
}
