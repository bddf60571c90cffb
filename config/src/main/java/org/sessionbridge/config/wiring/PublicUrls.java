package org.sessionbridge.config.wiring;

/**
 * Addresses on the hub as the outside world reaches it: {@code sessionbridge.public-base-url}
 * (trailing slashes dropped) followed by a path, for OAuth redirect URIs and webhook addresses.
 */
final class PublicUrls {

  private PublicUrls() {}

  static String at(String publicBaseUrl, String path) {
    String base = publicBaseUrl.strip();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return base + path;
  }
}
