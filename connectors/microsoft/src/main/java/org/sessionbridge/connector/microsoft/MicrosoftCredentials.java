package org.sessionbridge.connector.microsoft;

/**
 * A practice's Microsoft 365 app registration for app-only (client credentials) access: the tenant,
 * the app's client id and a client secret ({@code PUT /api/v1/connections/microsoft}). {@link
 * #toString()} never shows the secret.
 *
 * @param tenantId the directory (tenant) id or a verified domain of the practice's tenant
 * @param clientId the app registration's application (client) id
 * @param clientSecret a client secret value of the app registration
 */
public record MicrosoftCredentials(String tenantId, String clientId, String clientSecret) {

  public MicrosoftCredentials {
    notBlank("tenantId", tenantId);
    notBlank("clientId", clientId);
    notBlank("clientSecret", clientSecret);
    if (!tenantId.strip().matches("[A-Za-z0-9.\\-]{1,253}")) {
      throw new IllegalArgumentException(
          "tenantId must be a tenant id (GUID) or a domain name: " + tenantId);
    }
    tenantId = tenantId.strip();
  }

  private static void notBlank(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
  }

  @Override
  public String toString() {
    return "MicrosoftCredentials[tenantId="
        + tenantId
        + ", clientId="
        + clientId
        + ", clientSecret=<redacted>]";
  }
}
