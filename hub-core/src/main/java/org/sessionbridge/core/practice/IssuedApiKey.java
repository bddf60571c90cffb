package org.sessionbridge.core.practice;

/**
 * A practice together with the plain API key that was just issued for it. The key exists only in
 * this object and the one HTTP answer that shows it; the store keeps its hash.
 */
public record IssuedApiKey(Practice practice, String apiKey) {

  @Override
  public String toString() {
    return "IssuedApiKey[practice=" + practice.id() + ", apiKey=<redacted>]";
  }
}
