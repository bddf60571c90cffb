package org.sessionbridge.config.wiring;

import org.jspecify.annotations.Nullable;
import org.sessionbridge.config.settings.SessionBridgeProperties;
import org.sessionbridge.connector.google.fake.GoogleFake;

/**
 * Where the hub finds Google: {@code sessionbridge.google.calendar-root-url}, {@code
 * oauth-base-url} and {@code authorize-url}, or the demo profile's in-process {@link GoogleFake}
 * (which starts on a free port, so its address is only known once it runs).
 */
record GoogleEndpoints(String calendarRootUrl, String oauthBaseUrl, String authorizeUrl) {

  static GoogleEndpoints of(SessionBridgeProperties properties, @Nullable GoogleFake demo) {
    if (demo != null) {
      return new GoogleEndpoints(
          demo.baseUrl() + "/", demo.baseUrl(), demo.baseUrl() + "/o/oauth2/v2/auth");
    }
    SessionBridgeProperties.Google google = properties.google();
    return new GoogleEndpoints(
        google.calendarRootUrl().toString(),
        google.oauthBaseUrl().toString(),
        google.authorizeUrl().toString());
  }
}
