package org.sessionbridge.config.wiring;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.builder.RouteBuilder;
import org.sessionbridge.config.settings.ConfigurationError;
import org.sessionbridge.config.settings.SessionBridgeProperties;
import org.sessionbridge.connector.google.GoogleCalendarProvider;
import org.sessionbridge.connector.google.GoogleResilience;
import org.sessionbridge.connector.google.GoogleSettings;
import org.sessionbridge.connector.google.GoogleTokenEndpoint;
import org.sessionbridge.connector.google.fake.GoogleFake;
import org.sessionbridge.connector.microsoft.MicrosoftConsent;
import org.sessionbridge.connector.microsoft.MicrosoftDelegatedApp;
import org.sessionbridge.connector.microsoft.MicrosoftResilience;
import org.sessionbridge.connector.microsoft.MicrosoftSettings;
import org.sessionbridge.connector.microsoft.MicrosoftTokenEndpoint;
import org.sessionbridge.connector.microsoft.OutlookCalendarProvider;
import org.sessionbridge.core.appointment.Appointment;
import org.sessionbridge.core.appointment.AppointmentBook;
import org.sessionbridge.core.calendar.CalendarChoices;
import org.sessionbridge.core.calendar.CalendarEvent;
import org.sessionbridge.core.calendar.CalendarLink;
import org.sessionbridge.core.calendar.CalendarStore;
import org.sessionbridge.core.calendar.CalendarWork;
import org.sessionbridge.core.credential.ProviderTokenStore;
import org.sessionbridge.core.meeting.MeetingStore;
import org.sessionbridge.core.practice.PracticeStore;
import org.sessionbridge.core.practice.VideoPlatform;
import org.sessionbridge.core.practice.VideoService;
import org.sessionbridge.routes.calendar.CalendarAccounts;
import org.sessionbridge.routes.calendar.CalendarBackfill;
import org.sessionbridge.routes.calendar.CalendarChannelKeeper;
import org.sessionbridge.routes.calendar.CalendarChannelRoute;
import org.sessionbridge.routes.calendar.CalendarEvents;
import org.sessionbridge.routes.calendar.CalendarPlanner;
import org.sessionbridge.routes.calendar.CalendarPullReconciler;
import org.sessionbridge.routes.calendar.CalendarPullRoute;
import org.sessionbridge.routes.calendar.CalendarPushReconciler;
import org.sessionbridge.routes.calendar.CalendarPushRoute;
import org.sessionbridge.routes.calendar.JoinLinks;
import org.sessionbridge.routes.outbox.RetryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The calendar routes (docs/CALENDARS.md): the store, Google Calendar as the {@link
 * org.sessionbridge.core.port.CalendarProvider}, the outbox handler that plans events (after the
 * meeting planner), the push and pull routes ({@code sessionbridge.calendars.*}), providers' Google
 * accounts from the {@link ProviderTokenStore} and join links from the meeting store or the
 * provider's link service. {@code sessionbridge.calendars.enabled=false} keeps a node from calling
 * calendars (plans are still recorded).
 */
@Configuration(proxyBeanMethods = false)
class CalendarWiring {

  private static final Logger log = LoggerFactory.getLogger(CalendarWiring.class);

  @Bean
  CalendarStore calendarStore(JdbcClient jdbc, TransactionTemplate tx, Clock clock) {
    return new CalendarStore(jdbc, tx, clock);
  }

  @Bean
  CalendarChoices calendarChoices(JdbcClient jdbc, Clock clock) {
    return new CalendarChoices(jdbc, clock);
  }

  /** Fills a newly linked calendar with the provider's upcoming sessions. */
  @Bean
  CalendarBackfill calendarBackfill(
      AppointmentBook book, CalendarStore store, CalendarPlanner planner, Clock clock) {
    return new CalendarBackfill(book, store, planner, clock);
  }

  /** Google's addresses: the contract properties, or the demo's in-process fake. */
  @Bean
  GoogleEndpoints googleEndpoints(
      SessionBridgeProperties properties, ObjectProvider<GoogleFake> demoGoogle) {
    return GoogleEndpoints.of(properties, demoGoogle.getIfAvailable());
  }

  /** Where Google Calendar is: {@code sessionbridge.google.calendar-root-url}. */
  @Bean
  GoogleSettings googleSettings(GoogleEndpoints endpoints) {
    try {
      return GoogleSettings.at(endpoints.calendarRootUrl());
    } catch (IllegalArgumentException e) {
      throw new ConfigurationError(
          "sessionbridge.google.calendar-root-url",
          String.valueOf(e.getMessage()),
          "Set it to Google's https://www.googleapis.com/ or a fake's root URL.");
    }
  }

  /** Guarded by {@code sessionbridge.google.resilience.*} (docs/CALENDARS.md). */
  @Bean
  GoogleCalendarProvider googleCalendarProvider(
      GoogleSettings settings, SessionBridgeProperties properties) {
    SessionBridgeProperties.Google.Resilience r = properties.google().resilience();
    GoogleResilience resilience;
    try {
      resilience =
          new GoogleResilience(
              r.breakerWindow(),
              r.breakerMinimumCalls(),
              r.breakerFailureRatePercent(),
              r.breakerOpenWait(),
              r.breakerHalfOpenCalls(),
              r.requestsPerPeriod(),
              r.limitRefreshPeriod(),
              r.permitWait(),
              r.retryAttempts(),
              r.retryBackoff(),
              r.maxInlineWait(),
              r.usageLimitWait());
    } catch (IllegalArgumentException e) {
      throw ConfigurationError.named(
          e,
          "sessionbridge.google.resilience",
          "Fix the value; the defaults stay below Google's per-user quota (docs/CALENDARS.md).");
    }
    return new GoogleCalendarProvider(settings, resilience);
  }

  /** The hub's Google OAuth client; without it Google calendars cannot be linked (503). */
  @Bean
  @ConditionalOnProperty(name = "sessionbridge.google.client-id")
  GoogleTokenEndpoint googleTokenEndpoint(
      SessionBridgeProperties properties, GoogleEndpoints endpoints) {
    SessionBridgeProperties.Google google = properties.google();
    if (!google.configured()) {
      throw new ConfigurationError(
          "sessionbridge.google.client-id",
          "is blank, or client-secret is",
          "Set both to the hub's Google OAuth client id and secret, or remove both.");
    }
    return new GoogleTokenEndpoint(
        endpoints.oauthBaseUrl(),
        String.valueOf(google.clientId()),
        String.valueOf(google.clientSecret()),
        Duration.ofSeconds(10));
  }

  @Bean
  CalendarAccounts calendarAccounts(
      ObjectProvider<ProviderTokenStore> tokens,
      ObjectProvider<GoogleTokenEndpoint> endpoint,
      MicrosoftTokenEndpoint microsoft,
      ObjectProvider<MicrosoftDelegatedApp> microsoftApp) {
    return new StoredCalendarAccounts(tokens, endpoint, microsoft, microsoftApp);
  }

  /** Outlook calendars through Microsoft Graph ({@code sessionbridge.microsoft.*}). */
  @Bean
  OutlookCalendarProvider outlookCalendarProvider(
      MicrosoftSettings settings, MicrosoftResilience resilience) {
    return new OutlookCalendarProvider(settings, resilience);
  }

  /**
   * The hub's Entra ID app for providers' Outlook calendars (delegated permissions
   * Calendars.ReadWrite and offline_access); without it Outlook calendars cannot be linked (503).
   */
  @Bean
  @ConditionalOnProperty(name = "sessionbridge.microsoft.client-id")
  MicrosoftDelegatedApp microsoftDelegatedApp(SessionBridgeProperties properties) {
    SessionBridgeProperties.Microsoft m = properties.microsoft();
    if (!m.configured()) {
      throw new ConfigurationError(
          "sessionbridge.microsoft.client-id",
          "is blank, or client-secret is",
          "Set both to the hub's Entra ID app id and secret, or remove both.");
    }
    try {
      return new MicrosoftDelegatedApp(
          m.tenant(),
          String.valueOf(m.clientId()),
          String.valueOf(m.clientSecret()),
          PublicUrls.at(properties.publicBaseUrl(), "/oauth/microsoft/callback"));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationError(
          "sessionbridge.microsoft.tenant",
          String.valueOf(e.getMessage()),
          "Use organizations (any work account), a tenant id or a tenant's domain.");
    }
  }

  /** Microsoft's consent screen for providers' Outlook calendars. */
  @Bean
  @ConditionalOnProperty(name = "sessionbridge.microsoft.client-id")
  MicrosoftConsent microsoftConsent(MicrosoftSettings settings, MicrosoftDelegatedApp app) {
    return new MicrosoftConsent(settings, app);
  }

  /** Google and Outlook behind one port, chosen per account. */
  @Bean
  KindRoutedCalendarProvider calendarProvider(
      GoogleCalendarProvider google, OutlookCalendarProvider outlook) {
    return new KindRoutedCalendarProvider(google, outlook);
  }

  /**
   * Hub-managed meetings' join links from the meeting store; link services' (Doxy.me, VSee) from
   * the provider's video services.
   */
  @Bean
  JoinLinks joinLinks(MeetingStore meetings, AppointmentBook book, PracticeStore practices) {
    return (practiceId, appointmentId) -> {
      Optional<Appointment> found = book.find(practiceId, appointmentId);
      if (found.isEmpty() || found.get().videoPlatform() == null) {
        return Optional.empty();
      }
      Appointment a = found.get();
      VideoPlatform platform = a.videoPlatform();
      if (platform.hubManaged()) {
        return meetings
            .work(appointmentId)
            .filter(w -> w.practiceId().equals(practiceId) && w.meetingPlatform() == platform)
            .filter(w -> w.joinUrl() != null)
            .map(w -> new CalendarEvent.Join(URI.create(w.joinUrl()), instructions(practices, a)));
      }
      return practices.videoServices(practiceId, a.providerId()).stream()
          .filter(s -> s.platform() == platform && s.joinLink() != null)
          .findFirst()
          .map(
              s ->
                  new CalendarEvent.Join(
                      URI.create(Objects.requireNonNull(s.joinLink())), text(s)));
    };
  }

  private static String instructions(PracticeStore practices, Appointment a) {
    return practices.videoServices(a.practiceId(), a.providerId()).stream()
        .filter(s -> s.platform() == a.videoPlatform())
        .findFirst()
        .map(CalendarWiring::text)
        .orElse("");
  }

  /** The provider's wording: these events go to the provider's own calendar. */
  private static String text(VideoService s) {
    String text = s.instructionsFor(true);
    return text == null ? "" : text;
  }

  @Bean
  CalendarEvents calendarEvents() {
    return (link, reason) ->
        log.warn(
            "calendar link {} of provider {} stopped ({}): its events wait parked until the"
                + " provider links the calendar again",
            link.id(),
            link.providerId(),
            link.status());
  }

  /** After the meeting planner (10): the meeting's plan is recorded first. */
  @Bean
  @Order(20)
  CalendarPlanner calendarPlanner(
      CalendarStore store, PracticeStore practices, JoinLinks joinLinks) {
    return new CalendarPlanner(store, practices, joinLinks);
  }

  private static String worker() {
    return ManagementFactory.getRuntimeMXBean().getName()
        + "/"
        + UUID.randomUUID().toString().substring(0, 8);
  }

  @Bean
  CalendarPushReconciler calendarPushReconciler(
      CalendarStore store,
      KindRoutedCalendarProvider provider,
      CalendarAccounts accounts,
      JoinLinks joinLinks,
      CalendarEvents events,
      SessionBridgeProperties properties,
      Clock clock) {
    SessionBridgeProperties.Calendars c = properties.calendars();
    return new CalendarPushReconciler(
        store,
        provider,
        accounts,
        joinLinks,
        events,
        new RetryPolicy(Integer.MAX_VALUE, c.initialBackoff(), c.maxBackoff()),
        clock,
        worker());
  }

  @Bean
  CalendarPullReconciler calendarPullReconciler(
      CalendarStore store,
      KindRoutedCalendarProvider provider,
      CalendarAccounts accounts,
      CalendarEvents events,
      SessionBridgeProperties properties,
      Clock clock) {
    SessionBridgeProperties.Calendars c = properties.calendars();
    return new CalendarPullReconciler(
        store,
        provider,
        accounts,
        events,
        new RetryPolicy(Integer.MAX_VALUE, c.initialBackoff(), c.maxBackoff()),
        c.pullInterval(),
        clock,
        worker());
  }

  /** The push route's threads: writes of sessions into calendars. */
  @Bean(destroyMethod = "shutdown")
  ExecutorService calendarWorkers(SessionBridgeProperties properties) {
    return pool("calendar-worker-", properties.calendars().workers());
  }

  /**
   * The pull and channel routes' threads. Google notifies a channel of the hub's own writes too, so
   * a burst of pushes brings about one pull per event; on the push route's threads those reads held
   * up the writes (docs/BENCHMARKS.md, Google calendar sync).
   */
  @Bean(destroyMethod = "shutdown")
  ExecutorService calendarPullWorkers(SessionBridgeProperties properties) {
    return pool("calendar-pull-", properties.calendars().pullWorkers());
  }

  private static ExecutorService pool(String prefix, int size) {
    AtomicInteger n = new AtomicInteger();
    ThreadFactory threads =
        r -> {
          Thread t = new Thread(r, prefix + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    return Executors.newFixedThreadPool(size, threads);
  }

  @Bean
  @ConditionalOnProperty(
      name = "sessionbridge.calendars.enabled",
      havingValue = "true",
      matchIfMissing = true)
  CalendarPushRoute calendarPushRoute(
      CalendarStore store,
      CalendarPushReconciler reconciler,
      ExecutorService calendarWorkers,
      SessionBridgeProperties properties) {
    SessionBridgeProperties.Calendars c = properties.calendars();
    return new CalendarPushRoute(
        store, reconciler, c.pollInterval(), c.lease(), c.batchSize(), calendarWorkers);
  }

  @Bean
  @ConditionalOnProperty(
      name = "sessionbridge.calendars.enabled",
      havingValue = "true",
      matchIfMissing = true)
  CalendarPullRoute calendarPullRoute(
      CalendarStore store,
      CalendarPullReconciler reconciler,
      ExecutorService calendarPullWorkers,
      SessionBridgeProperties properties) {
    SessionBridgeProperties.Calendars c = properties.calendars();
    return new CalendarPullRoute(
        store, reconciler, c.pullCheckInterval(), c.lease(), c.batchSize(), calendarPullWorkers);
  }

  /**
   * Google push channels: notifications go to {@code {public-base-url}/webhooks/google}. Google
   * only posts to https; on a plain-http public base URL (except localhost, for tests and demos) no
   * channel is opened and the polling fallback alone pulls.
   */
  @Bean
  CalendarChannelKeeper calendarChannelKeeper(
      CalendarStore store,
      KindRoutedCalendarProvider provider,
      CalendarAccounts accounts,
      CalendarEvents events,
      SessionBridgeProperties properties,
      Clock clock) {
    SessionBridgeProperties.Calendars c = properties.calendars();
    return new CalendarChannelKeeper(
        store,
        provider,
        accounts,
        events,
        new RetryPolicy(Integer.MAX_VALUE, c.initialBackoff(), c.maxBackoff()),
        Map.of(
            CalendarLink.Kind.GOOGLE,
            webhookAddress(properties.publicBaseUrl()),
            CalendarLink.Kind.MICROSOFT,
            URI.create(PublicUrls.at(properties.publicBaseUrl(), "/webhooks/microsoft"))),
        c.channelTtl(),
        c.channelRenewalMargin(),
        clock);
  }

  static URI webhookAddress(String publicBaseUrl) {
    return URI.create(PublicUrls.at(publicBaseUrl, "/webhooks/google"));
  }

  /** Whether Google can post to {@code address}: https, or http on this machine. */
  static boolean watchable(URI address) {
    String host = address.getHost();
    if ("https".equalsIgnoreCase(address.getScheme())) {
      return true;
    }
    return "http".equalsIgnoreCase(address.getScheme())
        && host != null
        && (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]"));
  }

  @Bean
  @ConditionalOnProperty(
      name = "sessionbridge.calendars.enabled",
      havingValue = "true",
      matchIfMissing = true)
  RouteBuilder calendarChannelRoute(
      CalendarStore store,
      CalendarChannelKeeper keeper,
      ExecutorService calendarPullWorkers,
      SessionBridgeProperties properties) {
    URI address = webhookAddress(properties.publicBaseUrl());
    if (!watchable(address)) {
      log.info(
          "Google and Microsoft push channels are off: {} is not https (both post only to https);"
              + " linked calendars are pulled by polling every {}",
          address,
          properties.calendars().pullInterval());
      return new RouteBuilder() {
        @Override
        public void configure() {}
      };
    }
    SessionBridgeProperties.Calendars c = properties.calendars();
    return new CalendarChannelRoute(
        store, keeper, c.pullCheckInterval(), c.lease(), c.batchSize(), calendarPullWorkers);
  }

  @Bean
  CalendarMetrics calendarMetrics(
      MeterRegistry registry,
      CalendarStore store,
      CalendarPushReconciler push,
      CalendarPullReconciler pull,
      CalendarChannelKeeper channels) {
    StateGauges.register(
        registry,
        "sessionbridge.calendars.by.state",
        "Calendar events by the state of their work",
        CalendarWork.State.class,
        store::countByState);
    FunctionCounter.builder(
            "sessionbridge.calendars.pushed", push, CalendarPushReconciler::pushCount)
        .description("Events this node wrote to or removed from calendars")
        .register(registry);
    FunctionCounter.builder(
            "sessionbridge.calendars.push.failed.passes",
            push,
            CalendarPushReconciler::failureCount)
        .description("Push passes that ended in a failure to retry, park or refuse")
        .register(registry);
    FunctionCounter.builder(
            "sessionbridge.calendars.pulls", pull, CalendarPullReconciler::pullCount)
        .description("Calendar pulls this node made")
        .register(registry);
    FunctionCounter.builder(
            "sessionbridge.calendars.drifts", pull, CalendarPullReconciler::driftCount)
        .description("Our events found moved or deleted by their calendar's owner")
        .register(registry);
    FunctionCounter.builder(
            "sessionbridge.calendars.pull.failed", pull, CalendarPullReconciler::failureCount)
        .description("Calendar pulls that failed")
        .register(registry);
    FunctionCounter.builder(
            "sessionbridge.calendars.channels.opened", channels, CalendarChannelKeeper::openedCount)
        .description("Google push channels this node opened (first ones and renewals)")
        .register(registry);
    FunctionCounter.builder(
            "sessionbridge.calendars.channels.stopped",
            channels,
            CalendarChannelKeeper::stoppedCount)
        .description("Replaced Google push channels this node stopped")
        .register(registry);
    FunctionCounter.builder(
            "sessionbridge.calendars.channels.failed",
            channels,
            CalendarChannelKeeper::failureCount)
        .description("Push channel work that failed")
        .register(registry);
    return new CalendarMetrics();
  }

  /** Marker bean: the calendar meters are registered. */
  static final class CalendarMetrics {}
}
