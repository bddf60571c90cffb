package org.sessionbridge.config.settings;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import org.springframework.core.env.Environment;

/**
 * Fails start-up with the culprit named: the operator key outside the demo, malformed base URLs,
 * limits that make no sense. Runs before any bean touches the database or the network.
 */
public final class SettingsCheck {

  static final int MIN_OPERATOR_KEY_LENGTH = 24;
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(SettingsCheck.class);

  private SettingsCheck() {}

  public static void check(SessionBridgeProperties p, Environment env) {
    boolean demo = Arrays.asList(env.getActiveProfiles()).contains("demo");
    String operatorKey = p.security().operatorKey();
    if (operatorKey == null || operatorKey.isBlank()) {
      if (!demo) {
        throw new ConfigurationError(
            "sessionbridge.security.operator-key",
            "is required outside the demo profile",
            "Set it to a long random secret, e.g. export SESSIONBRIDGE_SECURITY_OPERATORKEY=$(openssl"
                + " rand -base64 32), or start the offline demo with --spring.profiles.active=demo.");
      }
    } else if (operatorKey.length() < MIN_OPERATOR_KEY_LENGTH) {
      throw new ConfigurationError(
          "sessionbridge.security.operator-key",
          "is too short (" + operatorKey.length() + " characters)",
          "Use at least "
              + MIN_OPERATOR_KEY_LENGTH
              + " random characters, e.g. openssl rand -base64 32.");
    }
    URI publicBase = URI.create(p.publicBaseUrl());
    url("sessionbridge.public-base-url", publicBase, true);
    if (!demo && "http".equals(publicBase.getScheme()) && !isLoopback(publicBase.getHost())) {
      // Feed URLs carry their secret: over plain http anyone on the path can read it.
      LOG.warn(
          "sessionbridge.public-base-url is plain http ({}): feed and subscribe URLs handed to"
              + " clients will not be encrypted. Put the hub behind https and set the https URL.",
          publicBase.getHost());
    }
    url("sessionbridge.zoom.api-base-url", p.zoom().apiBaseUrl(), true);
    url("sessionbridge.zoom.oauth-base-url", p.zoom().oauthBaseUrl(), true);
    SessionBridgeProperties.UserOauth userOauth = p.zoom().userOauth();
    boolean hasId = userOauth.clientId() != null && !userOauth.clientId().isBlank();
    boolean hasSecret = userOauth.clientSecret() != null && !userOauth.clientSecret().isBlank();
    if (hasId != hasSecret) {
      throw new ConfigurationError(
          hasId
              ? "sessionbridge.zoom.user-oauth.client-secret"
              : "sessionbridge.zoom.user-oauth.client-id",
          "is missing while its partner is set",
          "Set both sessionbridge.zoom.user-oauth.client-id and client-secret (the Zoom user-level"
              + " OAuth app), or neither.");
    }
    url("sessionbridge.microsoft.graph-base-url", p.microsoft().graphBaseUrl(), true);
    url("sessionbridge.microsoft.login-base-url", p.microsoft().loginBaseUrl(), true);
    url("sessionbridge.google.calendar-root-url", p.google().calendarRootUrl(), true);
    url("sessionbridge.google.oauth-base-url", p.google().oauthBaseUrl(), true);
    SessionBridgeProperties.Google google = p.google();
    boolean googleId = google.clientId() != null && !google.clientId().isBlank();
    boolean googleSecret = google.clientSecret() != null && !google.clientSecret().isBlank();
    if (googleId != googleSecret) {
      throw new ConfigurationError(
          googleId ? "sessionbridge.google.client-secret" : "sessionbridge.google.client-id",
          "is missing while its partner is set",
          "Set both sessionbridge.google.client-id and client-secret (the hub's Google OAuth"
              + " client), or neither.");
    }
    calendars(p.calendars());
    notifications(p.notifications());
    atLeast("sessionbridge.join.opens-before", p.join().opensBefore(), Duration.ZERO, "15m");
    atLeast("sessionbridge.join.closes-after", p.join().closesAfter(), Duration.ZERO, "0s");
    positive("sessionbridge.api.max-body-bytes", p.api().maxBodyBytes());
    positive("sessionbridge.api.max-page-size", p.api().maxPageSize());
    positive("sessionbridge.meetings.batch-size", p.meetings().batchSize());
    positive("sessionbridge.meetings.workers", p.meetings().workers());
    if (p.meetings().pollInterval().toMillis() < 10) {
      throw new ConfigurationError(
          "sessionbridge.meetings.poll-interval",
          "must be at least 10ms: " + p.meetings().pollInterval(),
          "Use a duration such as 500ms.");
    }
    if (p.meetings().lease().compareTo(java.time.Duration.ofSeconds(30)) < 0) {
      throw new ConfigurationError(
          "sessionbridge.meetings.lease",
          "must be at least 30s (longer than any platform call): " + p.meetings().lease(),
          "Use a duration such as 2m.");
    }
    if (p.meetings().maxBackoff().compareTo(p.meetings().initialBackoff()) < 0
        || p.meetings().initialBackoff().isZero()
        || p.meetings().initialBackoff().isNegative()) {
      throw new ConfigurationError(
          "sessionbridge.meetings.max-backoff",
          "must be positive and not shorter than sessionbridge.meetings.initial-backoff",
          "Use durations such as 5s and 15m.");
    }
    if (p.meetings().sweepInterval().compareTo(java.time.Duration.ofSeconds(1)) < 0) {
      throw new ConfigurationError(
          "sessionbridge.meetings.sweep-interval",
          "must be at least 1s: " + p.meetings().sweepInterval(),
          "Use a duration such as 15m.");
    }
    positive("sessionbridge.outbox.batch-size", p.outbox().batchSize());
    positive("sessionbridge.outbox.workers", p.outbox().workers());
    positive("sessionbridge.outbox.max-attempts", p.outbox().maxAttempts());
    if (p.outbox().pollInterval().toMillis() < 10) {
      throw new ConfigurationError(
          "sessionbridge.outbox.poll-interval",
          "must be at least 10ms: " + p.outbox().pollInterval(),
          "Use a value such as 200ms.");
    }
    if (p.outbox().maxBackoff().compareTo(p.outbox().initialBackoff()) < 0) {
      throw new ConfigurationError(
          "sessionbridge.outbox.max-backoff",
          "must not be shorter than sessionbridge.outbox.initial-backoff",
          "Raise max-backoff or lower initial-backoff.");
    }
  }

  private static void calendars(SessionBridgeProperties.Calendars c) {
    positive("sessionbridge.calendars.batch-size", c.batchSize());
    positive("sessionbridge.calendars.workers", c.workers());
    positive("sessionbridge.calendars.pull-workers", c.pullWorkers());
    atLeast(
        "sessionbridge.calendars.poll-interval", c.pollInterval(), Duration.ofMillis(10), "500ms");
    atLeast(
        "sessionbridge.calendars.pull-check-interval",
        c.pullCheckInterval(),
        Duration.ofMillis(10),
        "1s");
    atLeast("sessionbridge.calendars.pull-interval", c.pullInterval(), Duration.ofMillis(10), "5m");
    atLeast("sessionbridge.calendars.lease", c.lease(), Duration.ofSeconds(30), "2m");
    atLeast(
        "sessionbridge.calendars.initial-backoff", c.initialBackoff(), Duration.ofMillis(1), "5s");
    if (c.maxBackoff().compareTo(c.initialBackoff()) < 0) {
      throw new ConfigurationError(
          "sessionbridge.calendars.max-backoff",
          "must not be shorter than sessionbridge.calendars.initial-backoff",
          "Use durations such as 5s and 15m.");
    }
    atLeast("sessionbridge.calendars.channel-ttl", c.channelTtl(), Duration.ofSeconds(1), "7d");
    if (c.channelTtl().compareTo(Duration.ofDays(30)) > 0) {
      throw new ConfigurationError(
          "sessionbridge.calendars.channel-ttl",
          "must be at most 30d: " + c.channelTtl(),
          "Google keeps a channel about 7 days at most; use 7d.");
    }
    if (c.channelRenewalMargin().isNegative()
        || c.channelRenewalMargin().compareTo(c.channelTtl()) >= 0) {
      throw new ConfigurationError(
          "sessionbridge.calendars.channel-renewal-margin",
          "must be at least 0 and shorter than sessionbridge.calendars.channel-ttl: "
              + c.channelRenewalMargin(),
          "Use durations such as 1d with a channel-ttl of 7d.");
    }
  }

  private static void notifications(SessionBridgeProperties.Notifications n) {
    String prefix = "sessionbridge.notifications.";
    positive(prefix + "batch-size", n.batchSize());
    positive(prefix + "workers", n.workers());
    positive(prefix + "max-attempts", n.maxAttempts());
    atLeast(prefix + "poll-interval", n.pollInterval(), Duration.ofMillis(10), "1s");
    atLeast(prefix + "initial-backoff", n.initialBackoff(), Duration.ofMillis(1), "30s");
    atLeast(prefix + "plan-wait", n.planWait(), Duration.ofMillis(1), "10s");
    if (n.maxBackoff().compareTo(n.initialBackoff()) < 0) {
      throw new ConfigurationError(
          prefix + "max-backoff",
          "must not be shorter than " + prefix + "initial-backoff",
          "Use durations such as 30s and 10m.");
    }
    SessionBridgeProperties.Smtp smtp = n.smtp();
    atLeast(prefix + "smtp.timeout", smtp.timeout(), Duration.ofSeconds(1), "30s");
    atLeast(prefix + "sms.timeout", n.sms().timeout(), Duration.ofSeconds(1), "15s");
    Duration longestCall =
        smtp.timeout().compareTo(n.sms().timeout()) > 0 ? smtp.timeout() : n.sms().timeout();
    if (n.lease().compareTo(longestCall.multipliedBy(2)) < 0) {
      // a lease that runs out during a send lets a second node send the same message
      throw new ConfigurationError(
          prefix + "lease",
          "must be at least twice the longest send timeout (" + longestCall + "): " + n.lease(),
          "Use a duration such as 2m.");
    }
    if (smtp.port() < 1 || smtp.port() > 65535) {
      throw new ConfigurationError(
          prefix + "smtp.port", "must be 1..65535: " + smtp.port(), "Use 587 (STARTTLS) or 465.");
    }
    if (smtp.configured()) {
      String host = String.valueOf(smtp.host());
      if (host.contains("/") || host.contains(":")) {
        throw new ConfigurationError(
            prefix + "smtp.host",
            "must be a host name without scheme or port: " + host,
            "Set the port with " + prefix + "smtp.port.");
      }
      if (!smtp.from().contains("@")) {
        throw new ConfigurationError(
            prefix + "smtp.from",
            "must be an e-mail address",
            "Use an address of the practice's domain, e.g. reminders@practice.example.");
      }
      boolean user = smtp.username() != null && !smtp.username().isBlank();
      boolean password = smtp.password() != null && !smtp.password().isBlank();
      if (user != password) {
        throw new ConfigurationError(
            user ? prefix + "smtp.password" : prefix + "smtp.username",
            "is missing while its partner is set",
            "Set both smtp.username and smtp.password, or neither.");
      }
    }
    URI sms = n.sms().baseUrl();
    if (sms != null) {
      url(prefix + "sms.base-url", sms, true);
    }
  }

  private static void atLeast(String property, Duration value, Duration min, String example) {
    if (value.compareTo(min) < 0) {
      throw new ConfigurationError(
          property,
          "must be at least " + min.toMillis() + "ms: " + value,
          "Use a duration such as " + example + ".");
    }
  }

  private static void url(String property, URI uri, boolean httpAllowed) {
    String scheme = uri.getScheme();
    boolean ok =
        uri.isAbsolute()
            && uri.getHost() != null
            && ("https".equals(scheme) || (httpAllowed && "http".equals(scheme)));
    if (!ok) {
      throw new ConfigurationError(
          property,
          "must be an absolute " + (httpAllowed ? "http(s)" : "https") + " URL: " + uri,
          "Set it to a URL such as https://hub.example-practice.org.");
    }
  }

  private static boolean isLoopback(String host) {
    return "localhost".equals(host) || "127.0.0.1".equals(host) || "[::1]".equals(host);
  }

  private static void positive(String property, int value) {
    if (value < 1) {
      throw new ConfigurationError(
          property, "must be at least 1: " + value, "Remove it to use the default.");
    }
  }
}
