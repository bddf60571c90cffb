package org.sessionbridge.config.wiring;

import org.sessionbridge.config.settings.SessionBridgeProperties;
import org.sessionbridge.connector.google.GoogleConsent;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Linking a provider's Google calendar through Google's consent screen (docs/CALENDARS.md): the
 * hub's OAuth client sends providers to {@code sessionbridge.google.authorize-url} and has them
 * back at {@code {sessionbridge.public-base-url}/oauth/google/callback}. Without {@code
 * sessionbridge.google.client-id} there is no consent screen and starting the flow answers 503.
 */
@Configuration(proxyBeanMethods = false)
class GoogleOAuthWiring {

  @Bean
  @ConditionalOnProperty(name = "sessionbridge.google.client-id")
  GoogleConsent googleConsent(SessionBridgeProperties properties, GoogleEndpoints endpoints) {
    SessionBridgeProperties.Google google = properties.google();
    return new GoogleConsent(
        endpoints.authorizeUrl(), String.valueOf(google.clientId()), googleRedirectUri(properties));
  }

  /** Where Google sends a provider back after consent; register it with the hub's client. */
  static String googleRedirectUri(SessionBridgeProperties properties) {
    return PublicUrls.at(properties.publicBaseUrl(), "/oauth/google/callback");
  }
}
