package org.sessionbridge.config.demo;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.sessionbridge.config.settings.SessionBridgeProperties;
import org.sessionbridge.connector.google.fake.GoogleFake;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * The demo's Google: an in-process fake that speaks Google Calendar's and Google OAuth's wire
 * protocol (consent screen, tokens, events, sync tokens, push channels), so the real connector runs
 * offline. The hub is pointed at it instead of googleapis.com (see {@code GoogleEndpoints}). Dr.
 * Chen has a dentist appointment of her own tomorrow (busy time the hub reads back); Sam Rivera has
 * a family calendar besides his primary one, to pick from on the consent flow's choice page.
 */
@Configuration(proxyBeanMethods = false)
@Profile("demo")
class DemoGoogle {

  static final String MAYA = "maya.chen@harbor.example";
  static final String SAM = "sam.rivera@harbor.example";

  @Bean(destroyMethod = "close")
  GoogleFake demoGoogleFake(Clock clock, SessionBridgeProperties properties) {
    // application-demo.yml names the hub's demo OAuth client; the fake knows it.
    SessionBridgeProperties.Google client = properties.google();
    ZoneId newYork = ZoneId.of("America/New_York");
    ZoneId chicago = ZoneId.of("America/Chicago");
    GoogleFake google =
        GoogleFake.start(0)
            .addClient(String.valueOf(client.clientId()), String.valueOf(client.clientSecret()))
            .addUser(MAYA, newYork)
            .addUser(SAM, chicago);
    LocalDate tomorrow = LocalDate.now(clock.withZone(newYork)).plusDays(1);
    ZonedDateTime dentist = ZonedDateTime.of(tomorrow, LocalTime.of(12, 0), newYork);
    google.userAddsEvent(
        MAYA, "Dentist", dentist.toInstant(), dentist.plusHours(1).toInstant(), false);
    String family = google.addCalendar(SAM, "Family", chicago);
    ZonedDateTime recital = ZonedDateTime.of(tomorrow, LocalTime.of(16, 0), chicago);
    google.userAddsEvent(
        family, "Recital", recital.toInstant(), recital.plusMinutes(90).toInstant(), false);
    return google;
  }
}
