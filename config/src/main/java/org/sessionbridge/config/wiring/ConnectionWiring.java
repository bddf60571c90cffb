package org.sessionbridge.config.wiring;

import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.sessionbridge.config.settings.ConfigurationError;
import org.sessionbridge.config.settings.SessionBridgeProperties;
import org.sessionbridge.connector.zoom.ZoomAccounts;
import org.sessionbridge.connector.zoom.ZoomCredentials;
import org.sessionbridge.connector.zoom.ZoomMeetingPlatform;
import org.sessionbridge.connector.zoom.ZoomResilience;
import org.sessionbridge.connector.zoom.ZoomSettings;
import org.sessionbridge.connector.zoom.fake.ZoomFake;
import org.sessionbridge.core.credential.Connection;
import org.sessionbridge.core.credential.ConnectionStore;
import org.sessionbridge.core.credential.SecretBox;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Connector credentials at rest. Without {@code sessionbridge.security.active-key-id} (and its key)
 * the hub runs, but connecting an account answers 503 naming the settings to add.
 */
@Configuration(proxyBeanMethods = false)
class ConnectionWiring {

  @Bean
  @ConditionalOnProperty(name = "sessionbridge.security.active-key-id")
  SecretBox secretBox(SessionBridgeProperties properties) {
    SessionBridgeProperties.Security s = properties.security();
    Map<String, byte[]> keys = new HashMap<>();
    s.encryptionKeys()
        .forEach(
            (id, base64) -> {
              try {
                keys.put(id, Base64.getDecoder().decode(base64.strip()));
              } catch (IllegalArgumentException e) {
                throw new ConfigurationError(
                    "sessionbridge.security.encryption-keys." + id,
                    "is not base64",
                    "Use base64 of 32 random bytes, e.g. openssl rand -base64 32.");
              }
            });
    try {
      return new SecretBox(keys, String.valueOf(s.activeKeyId()));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationError(
          "sessionbridge.security.encryption-keys",
          "is unusable: " + e.getMessage(),
          "Set sessionbridge.security.encryption-keys.<id> to base64 of 32 random bytes and"
              + " sessionbridge.security.active-key-id to that id.");
    }
  }

  @Bean
  @ConditionalOnProperty(name = "sessionbridge.security.active-key-id")
  ConnectionStore connectionStore(
      JdbcClient jdbc, TransactionTemplate tx, SecretBox box, Clock clock) {
    return new ConnectionStore(jdbc, tx, box, clock);
  }

  /**
   * Zoom meetings through the practice's connected Server-to-Server app. Without a connection (or
   * without an encryption key to hold one) calls fail as not authorised and the meetings wait,
   * parked, until the practice connects Zoom.
   */
  @Bean
  ZoomMeetingPlatform zoomMeetingPlatform(
      ZoomSettings settings,
      ObjectProvider<ConnectionStore> connections,
      SessionBridgeProperties properties) {
    ZoomAccounts accounts =
        practiceId -> {
          ConnectionStore store = connections.getIfAvailable();
          if (store == null) {
            return Optional.empty();
          }
          return store
              .find(practiceId, Connection.Kind.ZOOM)
              .flatMap(
                  c ->
                      store
                          .secret(practiceId, Connection.Kind.ZOOM)
                          .map(
                              secret -> new ZoomCredentials(c.accountRef(), c.clientId(), secret)));
        };
    SessionBridgeProperties.Zoom.Resilience r = properties.zoom().resilience();
    ZoomResilience resilience;
    try {
      resilience =
          new ZoomResilience(
              r.breakerWindow(),
              r.breakerMinimumCalls(),
              r.breakerFailureRatePercent(),
              r.breakerOpenWait(),
              r.breakerHalfOpenCalls(),
              r.mediumPerPeriod(),
              r.lightPerPeriod(),
              r.limitRefreshPeriod(),
              r.permitWait(),
              r.retryAttempts(),
              r.retryBackoff(),
              r.maxInlineWait());
    } catch (IllegalArgumentException e) {
      // ZoomResilience names the property in its message ("sessionbridge.zoom.resilience.…").
      String message = String.valueOf(e.getMessage());
      int space = message.indexOf(' ');
      throw new ConfigurationError(
          space > 0 ? message.substring(0, space) : "sessionbridge.zoom.resilience",
          space > 0 ? message.substring(space + 1) : message,
          "Fix the value; the defaults suit a Zoom Pro account (see docs/ZOOM.md).");
    }
    return new ZoomMeetingPlatform(settings, resilience, accounts);
  }

  /**
   * Where Zoom is: {@code sessionbridge.zoom.*-base-url}, or the demo's in-process fake when the
   * demo profile runs one.
   */
  @Bean
  ZoomSettings zoomSettings(SessionBridgeProperties properties, ObjectProvider<ZoomFake> demoZoom) {
    ZoomFake fake = demoZoom.getIfAvailable();
    if (fake != null) {
      return new ZoomSettings(
          fake.baseUrl() + "/v2",
          fake.baseUrl(),
          ZoomSettings.DEFAULT_CONNECT_TIMEOUT,
          ZoomSettings.DEFAULT_READ_TIMEOUT);
    }
    return new ZoomSettings(
        properties.zoom().apiBaseUrl().toString(),
        properties.zoom().oauthBaseUrl().toString(),
        ZoomSettings.DEFAULT_CONNECT_TIMEOUT,
        ZoomSettings.DEFAULT_READ_TIMEOUT);
  }
}
