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
import org.sessionbridge.connector.zoom.ZoomUserApp;
import org.sessionbridge.connector.zoom.ZoomUserOAuth;
import org.sessionbridge.connector.zoom.fake.ZoomFake;
import org.sessionbridge.core.credential.Connection;
import org.sessionbridge.core.credential.ConnectionStore;
import org.sessionbridge.core.credential.ProviderTokenStore;
import org.sessionbridge.core.credential.SecretBox;
import org.sessionbridge.core.meeting.MeetingStore;
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

  /** Providers' own vendor accounts (user-level OAuth): states, sealed tokens, rotation. */
  @Bean
  @ConditionalOnProperty(name = "sessionbridge.security.active-key-id")
  ProviderTokenStore providerTokenStore(
      JdbcClient jdbc, TransactionTemplate tx, SecretBox box, Clock clock) {
    return new ProviderTokenStore(jdbc, tx, box, clock);
  }

  /**
   * The hub's Zoom user-level OAuth app, which providers with a personal Zoom account authorise;
   * Zoom sends them back to {@code {public-base-url}/oauth/zoom/callback}.
   */
  @Bean
  @ConditionalOnProperty(name = "sessionbridge.zoom.user-oauth.client-id")
  ZoomUserOAuth zoomUserOAuth(ZoomSettings settings, SessionBridgeProperties properties) {
    SessionBridgeProperties.UserOauth app = properties.zoom().userOauth();
    if (!app.configured()) {
      throw new ConfigurationError(
          "sessionbridge.zoom.user-oauth.client-id",
          "is blank, or client-secret is",
          "Set both to the Zoom user-level OAuth app's client id and secret, or remove both.");
    }
    return new ZoomUserOAuth(
        settings,
        new ZoomUserApp(
            String.valueOf(app.clientId()),
            String.valueOf(app.clientSecret()),
            zoomRedirectUri(properties)));
  }

  /** Where Zoom sends a provider back after consent; register it with the user-level app. */
  static String zoomRedirectUri(SessionBridgeProperties properties) {
    return PublicUrls.at(properties.publicBaseUrl(), "/oauth/zoom/callback");
  }

  /**
   * Zoom meetings through the practice's connected Server-to-Server app, or the provider's own
   * account for hosts {@code personal:<providerId>} (user-level OAuth). Without a connection (or
   * without an encryption key to hold one) calls fail as not authorised and the meetings wait,
   * parked, until the practice connects Zoom (or the provider authorises).
   */
  @Bean
  ZoomMeetingPlatform zoomMeetingPlatform(
      ZoomSettings settings,
      ObjectProvider<ConnectionStore> connections,
      SessionBridgeProperties properties,
      ObjectProvider<ProviderTokenStore> providerTokens,
      ObjectProvider<ZoomUserOAuth> userOAuth,
      MeetingStore meetings) {
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
      throw ConfigurationError.named(
          e,
          "sessionbridge.zoom.resilience",
          "Fix the value; the defaults suit a Zoom Pro account (see docs/ZOOM.md).");
    }
    return new ZoomMeetingPlatform(
        settings,
        resilience,
        accounts,
        new StoredZoomUserAccounts(providerTokens, userOAuth, meetings));
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
