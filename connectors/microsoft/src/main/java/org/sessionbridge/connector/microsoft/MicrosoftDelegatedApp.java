package org.sessionbridge.connector.microsoft;

import java.util.Objects;

/**
 * The hub's own multi-tenant app registration that providers consent to when they link their
 * Outlook calendar (delegated authorization code flow with PKCE). {@link #toString()} never shows
 * the secret.
 *
 * @param tenant the authority segment: {@code organizations} (work or school accounts of any
 *     tenant, the default), {@code common}, or one tenant's id
 * @param clientId the app registration's application (client) id
 * @param clientSecret a client secret value of the app registration
 * @param redirectUri {@code {public-base-url}/oauth/microsoft/callback}, registered with the app
 */
public record MicrosoftDelegatedApp(
    String tenant, String clientId, String clientSecret, String redirectUri) {

  public MicrosoftDelegatedApp {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(clientSecret, "clientSecret");
    Objects.requireNonNull(redirectUri, "redirectUri");
    if (!tenant.matches("[A-Za-z0-9.\\-]{1,253}")) {
      throw new IllegalArgumentException(
          "tenant must be organizations, common, a tenant id or a domain: " + tenant);
    }
    if (clientId.isBlank() || clientSecret.isBlank() || redirectUri.isBlank()) {
      throw new IllegalArgumentException("clientId, clientSecret and redirectUri must be set");
    }
  }

  @Override
  public String toString() {
    return "MicrosoftDelegatedApp[tenant="
        + tenant
        + ", clientId="
        + clientId
        + ", clientSecret=<redacted>, redirectUri="
        + redirectUri
        + "]";
  }
}
