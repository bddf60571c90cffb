package org.sessionbridge.connector.zoom;

/**
 * The Server-to-Server OAuth app's credentials ({@code sessionbridge.zoom.account-id}, {@code
 * client-id}, {@code client-secret}). {@link #toString()} never shows the secret.
 */
public record ZoomCredentials(String accountId, String clientId, String clientSecret) {

  public ZoomCredentials {
    notBlank("sessionbridge.zoom.account-id", accountId);
    notBlank("sessionbridge.zoom.client-id", clientId);
    notBlank("sessionbridge.zoom.client-secret", clientSecret);
  }

  private static void notBlank(String property, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(property + " must not be blank");
    }
  }

  @Override
  public String toString() {
    return "ZoomCredentials[accountId="
        + accountId
        + ", clientId="
        + clientId
        + ", clientSecret=<redacted>]";
  }
}
