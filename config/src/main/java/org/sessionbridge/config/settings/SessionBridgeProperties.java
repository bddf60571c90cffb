package org.sessionbridge.config.settings;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything under {@code sessionbridge.*}, bound once and checked by {@link SettingsCheck} before
 * anything else starts. Secrets never appear in {@link #toString()}.
 */
@ConfigurationProperties("sessionbridge")
public record SessionBridgeProperties(
    @DefaultValue("./data") Path dataDir,
    @DefaultValue("http://localhost:8080") String publicBaseUrl,
    @DefaultValue Security security,
    @DefaultValue Api api,
    @DefaultValue Outbox outbox,
    @DefaultValue Meetings meetings,
    @DefaultValue Calendars calendars,
    @DefaultValue Zoom zoom,
    @DefaultValue Microsoft microsoft,
    @DefaultValue Google google,
    @DefaultValue Join join,
    @DefaultValue Notifications notifications) {

  /**
   * The notification route (docs/NOTIFICATIONS.md): how often it looks for due rows, how many it
   * takes and sends at once, how long a node holds a row (longer than an SMTP or SMS call may
   * take), retries, and where e-mail and text messages go. Without {@code smtp.host} e-mail waits
   * (the demo starts an in-process mail catcher instead); without {@code sms.base-url} no SMS is
   * sent.
   */
  public record Notifications(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("1s") Duration pollInterval,
      @DefaultValue("50") int batchSize,
      @DefaultValue("4") int workers,
      @DefaultValue("2m") Duration lease,
      @DefaultValue("8") int maxAttempts,
      @DefaultValue("30s") Duration initialBackoff,
      @DefaultValue("10m") Duration maxBackoff,
      @DefaultValue("10s") Duration planWait,
      @DefaultValue Smtp smtp,
      @DefaultValue Sms sms) {}

  /**
   * The SMTP server ({@code sessionbridge.notifications.smtp.*}); {@code starttls} requires
   * STARTTLS before credentials are sent.
   */
  public record Smtp(
      @Nullable String host,
      @DefaultValue("587") int port,
      @Nullable String username,
      @Nullable String password,
      @DefaultValue("reminders@localhost") String from,
      @DefaultValue("true") boolean starttls,
      @DefaultValue("30s") Duration timeout) {
    public boolean configured() {
      return host != null && !host.isBlank();
    }

    @Override
    public String toString() {
      return "Smtp[host="
          + host
          + ", port="
          + port
          + ", username="
          + (username == null ? "<unset>" : "<set>")
          + ", password="
          + (password == null ? "<unset>" : "<redacted>")
          + ", starttls="
          + starttls
          + "]";
    }
  }

  /** The HTTP SMS gateway ({@code sessionbridge.notifications.sms.*}, docs/NOTIFICATIONS.md). */
  public record Sms(
      @Nullable URI baseUrl,
      @Nullable String token,
      @Nullable String from,
      @DefaultValue("15s") Duration timeout) {
    @Override
    public String toString() {
      return "Sms[baseUrl="
          + baseUrl
          + ", token="
          + (token == null ? "<unset>" : "<redacted>")
          + "]";
    }
  }

  /**
   * Time-boxed join links ({@code /join/{token}}): they send a participant to the video room from
   * {@code opens-before} the start until {@code closes-after} the end. {@code client-links: false}
   * gives clients the platform's URL in feeds and invitations instead.
   */
  public record Join(
      @DefaultValue("15m") Duration opensBefore,
      @DefaultValue("0s") Duration closesAfter,
      @DefaultValue("true") boolean clientLinks) {}

  /**
   * Who may call what, and the keys that seal connector secrets at rest.
   *
   * @param encryptionKeys key id → base64 of 32 random bytes (AES-256); keep retired keys here
   *     until {@code ConnectionStore#resealWithActiveKey} has moved everything to the active one
   * @param activeKeyId the key new secrets are sealed with
   */
  public record Security(
      @Nullable String operatorKey,
      @DefaultValue Map<String, String> encryptionKeys,
      @Nullable String activeKeyId) {
    @Override
    public String toString() {
      return "Security[operatorKey="
          + (operatorKey == null ? "<unset>" : "<redacted>")
          + ", encryptionKeys="
          + encryptionKeys.keySet()
          + ", activeKeyId="
          + activeKeyId
          + "]";
    }
  }

  /** HTTP API limits. */
  public record Api(
      @DefaultValue("65536") int maxBodyBytes,
      @DefaultValue("500") int maxPageSize,
      @DefaultValue("400d") Duration maxListRange) {}

  /** Outbox drain: polling, parallelism, retries and retention. */
  public record Outbox(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("200ms") Duration pollInterval,
      @DefaultValue("100") int batchSize,
      @DefaultValue("4") int workers,
      @DefaultValue("8") int maxAttempts,
      @DefaultValue("2s") Duration initialBackoff,
      @DefaultValue("10m") Duration maxBackoff,
      @DefaultValue("7d") Duration deliveredRetention) {}

  /**
   * The meeting route: how often it looks for work, how many rows it takes and works at once, how
   * long a node holds a row (longer than any call it makes), backoff after failures, and the
   * waiting-room sweep that reads back upcoming meetings.
   */
  public record Meetings(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("500ms") Duration pollInterval,
      @DefaultValue("50") int batchSize,
      @DefaultValue("4") int workers,
      @DefaultValue("2") int pullWorkers,
      @DefaultValue("2m") Duration lease,
      @DefaultValue("5s") Duration initialBackoff,
      @DefaultValue("15m") Duration maxBackoff,
      @DefaultValue("15m") Duration sweepInterval,
      @DefaultValue("14d") Duration sweepHorizon) {}

  /**
   * Zoom endpoints, the webhook secret token, and the user-level OAuth app that providers with a
   * personal Zoom account authorise ({@code user-oauth}).
   */
  public record Zoom(
      @DefaultValue("https://api.zoom.us/v2") URI apiBaseUrl,
      @DefaultValue("https://zoom.us") URI oauthBaseUrl,
      @Nullable String webhookSecretToken,
      @DefaultValue Resilience resilience,
      @DefaultValue UserOauth userOauth) {

    /**
     * The guards around each practice's Zoom account ({@code ZoomResilience}). The rate limits sit
     * below Zoom's Pro plan (MEDIUM 20/s, LIGHT 30/s); a Free account needs 2 and 4, Business+
     * allows 60 and 80.
     */
    public record Resilience(
        @DefaultValue("10") int breakerWindow,
        @DefaultValue("5") int breakerMinimumCalls,
        @DefaultValue("50") int breakerFailureRatePercent,
        @DefaultValue("30s") Duration breakerOpenWait,
        @DefaultValue("2") int breakerHalfOpenCalls,
        @DefaultValue("8") int mediumPerPeriod,
        @DefaultValue("16") int lightPerPeriod,
        @DefaultValue("1s") Duration limitRefreshPeriod,
        @DefaultValue("1s") Duration permitWait,
        @DefaultValue("3") int retryAttempts,
        @DefaultValue("200ms") Duration retryBackoff,
        @DefaultValue("2s") Duration maxInlineWait) {}

    @Override
    public String toString() {
      return "Zoom[apiBaseUrl="
          + apiBaseUrl
          + ", oauthBaseUrl="
          + oauthBaseUrl
          + ", userOauth="
          + userOauth
          + "]";
    }
  }

  /**
   * The hub's Zoom user-level OAuth app ({@code sessionbridge.zoom.user-oauth.client-id} and {@code
   * client-secret}); its redirect URI is {@code {public-base-url}/oauth/zoom/callback}. Unset:
   * providers cannot connect a personal Zoom account (the endpoints answer 503).
   */
  public record UserOauth(@Nullable String clientId, @Nullable String clientSecret) {
    public boolean configured() {
      return clientId != null
          && !clientId.isBlank()
          && clientSecret != null
          && !clientSecret.isBlank();
    }

    @Override
    public String toString() {
      return "UserOauth[clientId="
          + clientId
          + ", clientSecret="
          + (clientSecret == null ? "<unset>" : "<redacted>")
          + "]";
    }
  }

  /**
   * Microsoft Graph endpoints and the hub's app for providers' Outlook calendars
   * (docs/MICROSOFT.md).
   */
  public record Microsoft(
      @DefaultValue("https://graph.microsoft.com/v1.0") URI graphBaseUrl,
      @DefaultValue("https://login.microsoftonline.com") URI loginBaseUrl,
      @Nullable String clientId,
      @Nullable String clientSecret,
      @DefaultValue("organizations") String tenant,
      @DefaultValue Resilience resilience) {

    /**
     * The guards around Graph calls ({@code MicrosoftResilience}); {@code concurrent-per-mailbox}
     * is Outlook's limit of 4 requests in flight per app and mailbox.
     */
    public record Resilience(
        @DefaultValue("10") int breakerWindow,
        @DefaultValue("5") int breakerMinimumCalls,
        @DefaultValue("50") int breakerFailureRatePercent,
        @DefaultValue("30s") Duration breakerOpenWait,
        @DefaultValue("2") int breakerHalfOpenCalls,
        @DefaultValue("4") int concurrentPerMailbox,
        @DefaultValue("2s") Duration permitWait,
        @DefaultValue("3") int retryAttempts,
        @DefaultValue("500ms") Duration retryBackoff,
        @DefaultValue("5s") Duration maxInlineWait) {}

    /**
     * The hub's own Entra ID app for providers who link their Outlook calendar (delegated,
     * authorization code with PKCE); practices' Teams meetings use each practice's app instead.
     */
    public boolean configured() {
      return clientId != null
          && !clientId.isBlank()
          && clientSecret != null
          && !clientSecret.isBlank();
    }

    @Override
    public String toString() {
      return "Microsoft[graphBaseUrl="
          + graphBaseUrl
          + ", loginBaseUrl="
          + loginBaseUrl
          + ", clientId="
          + clientId
          + ", clientSecret="
          + (clientSecret == null ? "<unset>" : "<redacted>")
          + ", tenant="
          + tenant
          + "]";
    }
  }

  /**
   * The calendar routes: how often the push route looks for work, how often the pull route looks
   * for due links, the polling fallback per link ({@code pull-interval}; webhooks pull sooner), how
   * many rows or links a node takes and works at once ({@code workers} push events; {@code
   * pull-workers}, a pool of their own, pull calendars and keep push channels), how long it holds
   * them (longer than any call), and the backoff after failures. Google push channels ({@code
   * events.watch}) are asked to live {@code channel-ttl} and are renewed {@code
   * channel-renewal-margin} before they expire.
   */
  public record Calendars(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("500ms") Duration pollInterval,
      @DefaultValue("1s") Duration pullCheckInterval,
      @DefaultValue("5m") Duration pullInterval,
      @DefaultValue("50") int batchSize,
      @DefaultValue("4") int workers,
      @DefaultValue("2") int pullWorkers,
      @DefaultValue("2m") Duration lease,
      @DefaultValue("5s") Duration initialBackoff,
      @DefaultValue("15m") Duration maxBackoff,
      @DefaultValue("7d") Duration channelTtl,
      @DefaultValue("1d") Duration channelRenewalMargin) {}

  /**
   * Google endpoints and the hub's Google OAuth client ({@code client-id}, {@code client-secret}),
   * whose refresh tokens providers' calendar links hold. Without the client, linking a Google
   * calendar answers 503.
   */
  public record Google(
      @DefaultValue("https://www.googleapis.com/") URI calendarRootUrl,
      @DefaultValue("https://oauth2.googleapis.com") URI oauthBaseUrl,
      @DefaultValue("https://accounts.google.com/o/oauth2/v2/auth") URI authorizeUrl,
      @Nullable String clientId,
      @Nullable String clientSecret,
      @DefaultValue Resilience resilience) {

    /**
     * The guards around Google Calendar calls ({@code GoogleResilience}): the per-user rate limit
     * sits below Google's 600 requests per minute per user and project.
     */
    public record Resilience(
        @DefaultValue("10") int breakerWindow,
        @DefaultValue("5") int breakerMinimumCalls,
        @DefaultValue("50") int breakerFailureRatePercent,
        @DefaultValue("30s") Duration breakerOpenWait,
        @DefaultValue("2") int breakerHalfOpenCalls,
        @DefaultValue("8") int requestsPerPeriod,
        @DefaultValue("1s") Duration limitRefreshPeriod,
        @DefaultValue("2s") Duration permitWait,
        @DefaultValue("3") int retryAttempts,
        @DefaultValue("500ms") Duration retryBackoff,
        @DefaultValue("5s") Duration maxInlineWait,
        @DefaultValue("5m") Duration usageLimitWait) {}

    public boolean configured() {
      return clientId != null
          && !clientId.isBlank()
          && clientSecret != null
          && !clientSecret.isBlank();
    }

    @Override
    public String toString() {
      return "Google[calendarRootUrl="
          + calendarRootUrl
          + ", oauthBaseUrl="
          + oauthBaseUrl
          + ", authorizeUrl="
          + authorizeUrl
          + ", clientId="
          + clientId
          + ", clientSecret="
          + (clientSecret == null ? "<unset>" : "<redacted>")
          + "]";
    }
  }
}
