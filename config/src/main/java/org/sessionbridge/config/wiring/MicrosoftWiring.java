package org.sessionbridge.config.wiring;

import java.util.Optional;
import org.sessionbridge.config.settings.ConfigurationError;
import org.sessionbridge.config.settings.SessionBridgeProperties;
import org.sessionbridge.connector.microsoft.MicrosoftCredentials;
import org.sessionbridge.connector.microsoft.MicrosoftResilience;
import org.sessionbridge.connector.microsoft.MicrosoftSettings;
import org.sessionbridge.connector.microsoft.MicrosoftTenants;
import org.sessionbridge.connector.microsoft.MicrosoftTokenEndpoint;
import org.sessionbridge.connector.microsoft.TeamsMeetingPlatform;
import org.sessionbridge.connector.microsoft.fake.GraphFake;
import org.sessionbridge.core.credential.Connection;
import org.sessionbridge.core.credential.ConnectionStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Microsoft 365 (docs/MICROSOFT.md): Teams meetings through each practice's own Entra ID app
 * (client credentials, {@code PUT /api/v1/connections/microsoft}), Graph at {@code
 * sessionbridge.microsoft.graph-base-url}, tokens from {@code login-base-url}, or the demo
 * profile's in-process {@link GraphFake}.
 */
@Configuration(proxyBeanMethods = false)
class MicrosoftWiring {

  @Bean
  MicrosoftSettings microsoftSettings(
      SessionBridgeProperties properties, ObjectProvider<GraphFake> demoGraph) {
    GraphFake fake = demoGraph.getIfAvailable();
    try {
      if (fake != null) {
        return MicrosoftSettings.at(fake.graphBaseUrl(), fake.baseUrl());
      }
      return MicrosoftSettings.at(
          properties.microsoft().graphBaseUrl().toString(),
          properties.microsoft().loginBaseUrl().toString());
    } catch (IllegalArgumentException e) {
      throw ConfigurationError.named(
          e,
          "sessionbridge.microsoft.graph-base-url",
          "Set it to https://graph.microsoft.com/v1.0 (and login-base-url to"
              + " https://login.microsoftonline.com), or to a fake's URLs.");
    }
  }

  /** {@code sessionbridge.microsoft.resilience.*}; a bad value stops the hub naming it. */
  @Bean
  MicrosoftResilience microsoftResilience(SessionBridgeProperties properties) {
    SessionBridgeProperties.Microsoft.Resilience r = properties.microsoft().resilience();
    try {
      return new MicrosoftResilience(
          r.breakerWindow(),
          r.breakerMinimumCalls(),
          r.breakerFailureRatePercent(),
          r.breakerOpenWait(),
          r.breakerHalfOpenCalls(),
          r.concurrentPerMailbox(),
          r.permitWait(),
          r.retryAttempts(),
          r.retryBackoff(),
          r.maxInlineWait());
    } catch (IllegalArgumentException e) {
      throw ConfigurationError.named(
          e,
          "sessionbridge.microsoft.resilience",
          "Fix the value; the defaults follow Graph's throttling guidance (docs/MICROSOFT.md).");
    }
  }

  @Bean
  MicrosoftTokenEndpoint microsoftTokenEndpoint(MicrosoftSettings settings) {
    return new MicrosoftTokenEndpoint(settings);
  }

  /**
   * Teams meetings with the lobby enforced, through the practice's connected app. Without a
   * connection (or without an encryption key to hold one) calls fail as not authorised and the
   * meetings wait, parked, until the practice connects Microsoft 365.
   */
  @Bean
  TeamsMeetingPlatform teamsMeetingPlatform(
      MicrosoftSettings settings,
      MicrosoftResilience resilience,
      ObjectProvider<ConnectionStore> connections) {
    MicrosoftTenants tenants =
        practiceId -> {
          ConnectionStore store = connections.getIfAvailable();
          if (store == null) {
            return Optional.empty();
          }
          return store
              .find(practiceId, Connection.Kind.MICROSOFT)
              .filter(c -> Connection.CONNECTED.equals(c.status()))
              .flatMap(
                  c ->
                      store
                          .secret(practiceId, Connection.Kind.MICROSOFT)
                          .map(
                              secret ->
                                  new MicrosoftCredentials(c.accountRef(), c.clientId(), secret)));
        };
    return new TeamsMeetingPlatform(settings, resilience, tenants);
  }
}
