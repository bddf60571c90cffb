package org.sessionbridge.connector.microsoft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sessionbridge.connector.microsoft.fake.GraphFake;
import org.sessionbridge.connector.microsoft.fake.GraphFakeCalendars;
import org.sessionbridge.connector.microsoft.fake.GraphFakeEvent;
import org.sessionbridge.core.calendar.BusyBlock;
import org.sessionbridge.core.calendar.CalendarAccount;
import org.sessionbridge.core.calendar.CalendarChanges;
import org.sessionbridge.core.calendar.CalendarEvent;
import org.sessionbridge.core.calendar.Removal;
import org.sessionbridge.core.port.CalendarProvider;
import org.sessionbridge.core.port.CalendarProviderException;

/** The real OutlookCalendarProvider and GraphWebhooks against the in-process GraphFake. */
class GraphFakeCalendarsTest {

  private static final String TENANT = "contoso-tenant";
  private static final String USER = "dr@contoso.example";

  private MutableClock clock;
  private GraphFake graph;
  private OutlookCalendarProvider outlook;
  private CalendarAccount account;
  private HttpServer receiver;
  private final List<GraphWebhooks.Notification> received = new CopyOnWriteArrayList<>();
  private final List<Integer> refused = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    graph = GraphFake.start(0, clock);
    graph.addDelegatedApp("hub-app", "hub-secret");
    graph.addUser(TENANT, USER);
    outlook =
        new OutlookCalendarProvider(
            MicrosoftSettings.at(graph.graphBaseUrl(), graph.baseUrl()).withDeltaPageSize(2),
            MicrosoftResilience.defaults(),
            clock);
    String token = graph.issueDelegatedToken("hub-app", USER);
    account =
        new CalendarAccount() {
          @Override
          public String id() {
            return "microsoft:dr";
          }

          @Override
          public String accessToken() {
            return token;
          }

          @Override
          public void invalidate(String rejected) {}
        };
    // The hub's /webhooks/microsoft in miniature, built on GraphWebhooks.
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext(
        "/webhooks/microsoft",
        exchange -> {
          try (exchange) {
            String query = exchange.getRequestURI().getRawQuery();
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (query != null && query.startsWith("validationToken=")) {
              GraphWebhooks.ValidationAnswer answer =
                  GraphWebhooks.validationAnswer(
                      URLDecoder.decode(query.substring(16), StandardCharsets.UTF_8));
              byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
              exchange.getResponseHeaders().set("Content-Type", answer.contentType());
              exchange.sendResponseHeaders(answer.status(), out.length);
              try (OutputStream o = exchange.getResponseBody()) {
                o.write(out);
              }
              return;
            }
            GraphWebhooks.Verified verified =
                GraphWebhooks.verify(
                    body,
                    id ->
                        graph.subscriptions().stream()
                            .filter(s -> s.id().equals(id))
                            .map(s -> "ch-1.hub-state-for-" + s.resource())
                            .findFirst());
            received.addAll(verified.accepted());
            refused.add(verified.refused());
            exchange.sendResponseHeaders(202, -1);
          }
        });
    receiver.start();
  }

  @AfterEach
  void stop() {
    receiver.stop(0);
    graph.close();
  }

  private URI hook() {
    return URI.create(
        "http://127.0.0.1:" + receiver.getAddress().getPort() + "/webhooks/microsoft");
  }

  private static CalendarEvent event(UUID appointment, long version, Instant start) {
    return new CalendarEvent(
        appointment,
        version,
        "Session",
        "",
        start,
        start.plus(Duration.ofMinutes(50)),
        ZoneId.of("America/Chicago"),
        Optional.of("Room 2"),
        Optional.empty(),
        CalendarEvent.Status.CONFIRMED);
  }

  @Test
  void upsertCreatesOnceUpdatesByPropertyAndSurvivesALostAnswer() {
    UUID appointment = UUID.randomUUID();
    graph.dropNextResponse(); // the lookup's answer is lost: the GET is retried inline
    assertThat(
            outlook
                .upsert(
                    account,
                    "primary",
                    event(appointment, 1, Instant.parse("2026-03-02T15:00:00Z")))
                .created())
        .isTrue();
    graph.dropNextResponse(); // again on the next upsert's lookup, which then finds the event
    var second =
        outlook.upsert(
            account, "primary", event(appointment, 2, Instant.parse("2026-03-02T16:00:00Z")));

    assertThat(second.created()).isFalse();
    assertThat(graph.events(USER, null))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.start()).isEqualTo(Instant.parse("2026-03-02T16:00:00Z"));
              assertThat(e.extendedProperties())
                  .containsValue(appointment.toString())
                  .containsValue("2");
              assertThat(e.transactionId()).isEqualTo("sb-" + appointment + "-v1");
            });
  }

  @Test
  void aLostCreateAnswerNeverMakesASecondEvent() {
    UUID appointment = UUID.randomUUID();
    graph.failNext(1, 503, "ServiceUnavailable", "busy", Map.of()); // the lookup, retried inline
    outlook.upsert(
        account, "primary", event(UUID.randomUUID(), 1, Instant.parse("2026-03-02T15:00:00Z")));
    int before = graph.counts().eventCreates();

    dropTheCreateOf(appointment);

    assertThat(graph.events(USER, null))
        .filteredOn(e -> e.extendedProperties().containsValue(appointment.toString()))
        .hasSize(1);
    assertThat(graph.counts().eventCreates()).isEqualTo(before + 1);
  }

  /** Upserts with the create's answer lost: lookup answered, create stored and dropped, retried. */
  private void dropTheCreateOf(UUID appointment) {
    CalendarEvent e = event(appointment, 1, Instant.parse("2026-03-03T15:00:00Z"));
    // The lookup is the first request; arm the drop after it by upserting through a wrapper account
    // that arms it when the second token is asked for (one token per request).
    int[] asked = {0};
    CalendarAccount arming =
        new CalendarAccount() {
          @Override
          public String id() {
            return account.id();
          }

          @Override
          public String accessToken() {
            if (++asked[0] == 2) {
              graph.dropNextResponse();
            }
            return account.accessToken();
          }

          @Override
          public void invalidate(String rejected) {}
        };
    assertThat(outlook.upsert(arming, "primary", e).created()).isTrue();
    assertThat(graph.journal().stream().filter(c -> c.method().equals("POST") && c.status() == 0))
        .hasSize(1);
  }

  @Test
  void removeDeletesOrMarksCancelled() {
    UUID deleted = UUID.randomUUID();
    UUID cancelled = UUID.randomUUID();
    outlook.upsert(account, "primary", event(deleted, 1, Instant.parse("2026-03-02T15:00:00Z")));
    outlook.upsert(account, "primary", event(cancelled, 1, Instant.parse("2026-03-02T17:00:00Z")));

    assertThat(outlook.remove(account, "primary", deleted, Removal.DELETE)).isTrue();
    assertThat(outlook.remove(account, "primary", deleted, Removal.DELETE)).isFalse();
    assertThat(outlook.remove(account, "primary", cancelled, Removal.MARK_CANCELLED)).isTrue();

    List<GraphFakeEvent> events = graph.events(USER, null);
    assertThat(events).filteredOn(GraphFakeEvent::deleted).hasSize(1);
    assertThat(events)
        .filteredOn(e -> !e.deleted())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.subject()).isEqualTo("Cancelled: Session");
              assertThat(e.showAs()).isEqualTo("free");
              assertThat(e.extendedProperties()).containsValue("cancelled");
            });
  }

  @Test
  void deltaPagesBusyTimeAndOurEventsThenReportsChangesAndResyncsAfterExpiry() {
    UUID appointment = UUID.randomUUID();
    outlook.upsert(
        account, "primary", event(appointment, 1, Instant.parse("2026-03-02T15:00:00Z")));
    String busy =
        graph.userAddsEvent(
            USER,
            null,
            "Dentist",
            Instant.parse("2026-03-02T08:00:00Z"),
            Instant.parse("2026-03-02T09:00:00Z"),
            "busy");
    graph.userAddsEvent(
        USER,
        null,
        "Lunch",
        Instant.parse("2026-03-02T12:00:00Z"),
        Instant.parse("2026-03-02T13:00:00Z"),
        "free");
    String trip =
        graph.userAddsAllDayEvent(
            USER,
            null,
            "Trip",
            Instant.parse("2026-03-05T00:00:00Z"),
            Instant.parse("2026-03-06T00:00:00Z"));

    CalendarChanges full = outlook.changes(account, "primary", null);

    assertThat(graph.counts().deltaPages()).isEqualTo(2); // 4 events, pages of 2
    assertThat(full.fullSync()).isTrue();
    assertThat(full.busy())
        .containsExactlyInAnyOrder(
            new BusyBlock(
                busy,
                Instant.parse("2026-03-02T08:00:00Z"),
                Instant.parse("2026-03-02T09:00:00Z"),
                false),
            new BusyBlock(
                trip,
                Instant.parse("2026-03-05T00:00:00Z"),
                Instant.parse("2026-03-06T00:00:00Z"),
                true));
    assertThat(full.ownEvents())
        .singleElement()
        .satisfies(o -> assertThat(o.appointmentId()).isEqualTo(appointment));

    graph.userDeletesEvent(USER, busy);
    String ours = full.ownEvents().get(0).externalId();
    graph.userMovesEvent(
        USER, ours, Instant.parse("2026-03-02T18:00:00Z"), Instant.parse("2026-03-02T18:50:00Z"));
    CalendarChanges next = outlook.changes(account, "primary", full.nextCursor());

    assertThat(next.fullSync()).isFalse();
    assertThat(next.freed()).containsExactly(busy);
    assertThat(next.ownEvents())
        .singleElement()
        .satisfies(o -> assertThat(o.start()).contains(Instant.parse("2026-03-02T18:00:00Z")));

    CalendarChanges quiet = outlook.changes(account, "primary", next.nextCursor());
    assertThat(quiet.busy()).isEmpty();
    assertThat(quiet.freed()).isEmpty();

    graph.expireDeltaTokens();
    assertThatThrownBy(() -> outlook.changes(account, "primary", quiet.nextCursor()))
        .isInstanceOf(CalendarProviderException.CursorExpired.class);
    assertThat(outlook.changes(account, "primary", null).busy()).hasSize(1);
  }

  @Test
  void aSubscriptionIsValidatedNotifiesAndRenewsAndStops() throws Exception {
    CalendarProvider.Watch watch =
        outlook.watch(
            account, "primary", "ch-1", "hub-state-for-/me/events", hook(), Duration.ofDays(6));

    assertThat(graph.deliveries())
        .extracting(GraphFakeCalendars.Delivery::detail)
        .containsExactly("echoed", "echoed");
    assertThat(watch.expiration()).isEqualTo(Instant.parse("2026-03-07T10:00:00Z"));

    graph.userAddsEvent(
        USER,
        null,
        "Gym",
        Instant.parse("2026-03-03T08:00:00Z"),
        Instant.parse("2026-03-03T09:00:00Z"),
        "busy");
    graph.awaitDeliveries(3, Duration.ofSeconds(5));
    assertThat(received)
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.subscriptionId()).isEqualTo(watch.resourceId());
              assertThat(n.changeType()).contains("created");
            });

    graph.sendLifecycleNotification(watch.resourceId(), "missed");
    graph.awaitDeliveries(4, Duration.ofSeconds(5));
    assertThat(received.get(1).lifecycle()).contains(GraphWebhooks.Lifecycle.MISSED);

    assertThat(outlook.renew(account, watch.resourceId(), Duration.ofDays(6)))
        .contains(Instant.parse("2026-03-07T10:00:00Z"));
    outlook.stopWatch(account, "ch-1", watch.resourceId());
    assertThat(outlook.renew(account, watch.resourceId(), Duration.ofDays(6))).isEmpty();
  }

  @Test
  void aForgedClientStateIsRefusedByTheReceiver() throws Exception {
    CalendarProvider.Watch watch =
        outlook.watch(
            account, "primary", "ch-1", "not-what-the-hub-expects", hook(), Duration.ofDays(1));

    graph.userAddsEvent(
        USER,
        null,
        "Gym",
        Instant.parse("2026-03-03T08:00:00Z"),
        Instant.parse("2026-03-03T09:00:00Z"),
        "busy");
    graph.awaitDeliveries(3, Duration.ofSeconds(5));

    assertThat(received).isEmpty();
    assertThat(refused).containsExactly(1);
    assertThat(watch.resourceId()).isNotBlank();
  }

  @Test
  void aReceiverThatDoesNotEchoGetsNoSubscription() {
    URI wrong = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/elsewhere");

    assertThatThrownBy(
            () -> outlook.watch(account, "primary", "ch", "state", wrong, Duration.ofDays(1)))
        .isInstanceOf(CalendarProviderException.Rejected.class)
        .hasMessageContaining("InvalidRequest");
    assertThat(graph.subscriptions()).isEmpty();
  }
}
