package org.sessionbridge.connector.google.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sessionbridge.connector.google.GoogleCalendarProvider;
import org.sessionbridge.connector.google.GoogleResilience;
import org.sessionbridge.connector.google.GoogleSettings;
import org.sessionbridge.core.calendar.BusyBlock;
import org.sessionbridge.core.calendar.CalendarAccount;
import org.sessionbridge.core.calendar.CalendarChanges;
import org.sessionbridge.core.calendar.CalendarEvent;
import org.sessionbridge.core.calendar.ExternalEvent;
import org.sessionbridge.core.calendar.OwnEvent;
import org.sessionbridge.core.calendar.Removal;
import org.sessionbridge.core.port.CalendarProviderException.CursorExpired;
import org.sessionbridge.core.port.CalendarProviderException.Gone;
import org.sessionbridge.core.port.CalendarProviderException.NotAuthorized;

/** The real {@link GoogleCalendarProvider} against the fake, at the socket. */
class GoogleFakeProviderTest {

  private static final String DOCTOR = "dr.jones@example.com";
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

  /**
   * The provider's full sync reads from the system clock minus a day, so the fake's clock starts at
   * the real "now" and events are placed in the days ahead.
   */
  private final SettableClock clock =
      new SettableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));

  private final Instant tomorrow =
      clock.instant().truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.DAYS);
  private final GoogleFake google = GoogleFake.start(0, clock).addUser(DOCTOR, PARIS);
  private final FakeAccount account = new FakeAccount(google, DOCTOR);
  private final GoogleCalendarProvider provider = provider(250);

  @AfterEach
  void stop() {
    google.close();
  }

  // --- push -----------------------------------------------------------------------------------

  @Test
  void createsOneEventWithOurReferenceAndReplacesItAfterTheDuplicateAnswer() {
    UUID appointment = UUID.randomUUID();

    ExternalEvent created = provider.upsert(account, DOCTOR, session(appointment, 1, tomorrow));
    ExternalEvent updated =
        provider.upsert(
            account, DOCTOR, session(appointment, 2, tomorrow.plus(Duration.ofHours(2))));

    assertThat(created.created()).isTrue();
    assertThat(updated.created()).isFalse();
    assertThat(updated.externalId()).isEqualTo(created.externalId());
    assertThat(updated.etag()).isNotEqualTo(created.etag()).startsWith("\"");
    List<GoogleFake.StoredEvent> events = google.events(DOCTOR);
    assertThat(events).hasSize(1);
    GoogleFake.StoredEvent event = events.get(0);
    assertThat(event.id()).isEqualTo(created.externalId()).matches("[a-v0-9]{5,1024}");
    assertThat(event.start()).isEqualTo(tomorrow.plus(Duration.ofHours(2)));
    assertThat(event.status()).isEqualTo("confirmed");
    assertThat(event.etag()).isEqualTo(updated.etag());
    assertThat(event.privateProperties())
        .containsEntry("sessionbridgeAppointment", appointment.toString())
        .containsEntry("sessionbridgeVersion", "2");
    assertThat(event.sequence()).isEqualTo(1);
    GoogleFake.Counts counts = google.counts();
    assertThat(counts.inserts()).isEqualTo(1);
    assertThat(counts.updates()).isEqualTo(1);
  }

  @Test
  void aLostInsertAnswerIsRetriedIntoExactlyOneEvent() {
    google.dropNextResponse();

    ExternalEvent stored =
        provider.upsert(account, DOCTOR, session(UUID.randomUUID(), 1, tomorrow));

    assertThat(stored.created()).isFalse(); // the retry met 409 and replaced the event
    assertThat(google.events(DOCTOR)).hasSize(1);
    assertThat(google.counts().inserts()).isEqualTo(1);
    assertThat(google.counts().updates()).isEqualTo(1);
  }

  @Test
  void deletesOnceAndReportsTheSecondRemovalAsAlreadyGone() {
    UUID appointment = UUID.randomUUID();
    ExternalEvent stored = provider.upsert(account, DOCTOR, session(appointment, 1, tomorrow));

    assertThat(provider.remove(account, DOCTOR, appointment, Removal.DELETE)).isTrue();
    assertThat(provider.remove(account, DOCTOR, appointment, Removal.DELETE)).isFalse();

    GoogleFake.StoredEvent event = google.event(DOCTOR, stored.externalId()).orElseThrow();
    assertThat(event.deleted()).isTrue();
    assertThat(event.cancelled()).isTrue();
    assertThat(google.counts().deletes()).isEqualTo(1);
  }

  @Test
  void marksCancelledThroughTheMethodOverrideAndALaterUpsertRevivesTheEvent() {
    UUID appointment = UUID.randomUUID();
    ExternalEvent stored = provider.upsert(account, DOCTOR, session(appointment, 1, tomorrow));

    assertThat(provider.remove(account, DOCTOR, appointment, Removal.MARK_CANCELLED)).isTrue();

    GoogleFake.StoredEvent cancelled = google.event(DOCTOR, stored.externalId()).orElseThrow();
    assertThat(cancelled.status()).isEqualTo("cancelled");
    assertThat(cancelled.deleted()).isFalse();
    assertThat(cancelled.privateProperties()).containsKey("sessionbridgeAppointment");
    assertThat(google.counts().patches()).isEqualTo(1);

    ExternalEvent revived = provider.upsert(account, DOCTOR, session(appointment, 2, tomorrow));

    assertThat(revived.created()).isFalse();
    assertThat(google.event(DOCTOR, stored.externalId()).orElseThrow().status())
        .isEqualTo("confirmed");
    assertThat(google.events(DOCTOR)).hasSize(1);
  }

  @Test
  void aDeletedEventKeepsItsIdSoTheUpsertReplacesIt() {
    UUID appointment = UUID.randomUUID();
    ExternalEvent stored = provider.upsert(account, DOCTOR, session(appointment, 1, tomorrow));
    google.userDeletesEvent(DOCTOR, stored.externalId());

    ExternalEvent again = provider.upsert(account, DOCTOR, session(appointment, 2, tomorrow));

    assertThat(again.created()).isFalse();
    GoogleFake.StoredEvent event = google.event(DOCTOR, stored.externalId()).orElseThrow();
    assertThat(event.deleted()).isFalse();
    assertThat(event.status()).isEqualTo("confirmed");
  }

  @Test
  void aCalendarOfAnotherUserIsGone() {
    google.addUser("someone.else@example.com");

    assertThatThrownBy(
            () ->
                provider.upsert(
                    account, "someone.else@example.com", session(UUID.randomUUID(), 1, tomorrow)))
        .isInstanceOf(Gone.class);
    assertThat(google.events("someone.else@example.com")).isEmpty();
  }

  @Test
  void concurrentUpsertsMakeOneEventPerAppointment() throws Exception {
    java.util.concurrent.ExecutorService threads =
        java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<ExternalEvent>> done = new java.util.ArrayList<>();
      for (int i = 0; i < 16; i++) {
        UUID appointment = UUID.nameUUIDFromBytes(new byte[] {(byte) (i % 8)});
        int version = i + 1;
        done.add(
            threads.submit(
                () -> provider.upsert(account, DOCTOR, session(appointment, version, tomorrow))));
      }
      for (java.util.concurrent.Future<ExternalEvent> future : done) {
        future.get(10, java.util.concurrent.TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }

    assertThat(google.events(DOCTOR)).hasSize(8);
    assertThat(google.counts().inserts()).isEqualTo(8);
    assertThat(google.counts().updates()).isEqualTo(8);
  }

  // --- pull -----------------------------------------------------------------------------------

  @Test
  void aFullSyncSeesBusyBlocksButNotFreeDeclinedOrOwnEvents() {
    ExternalEvent own = provider.upsert(account, DOCTOR, session(UUID.randomUUID(), 1, tomorrow));
    String dentist =
        google.userAddsEvent(
            DOCTOR,
            "Dentist",
            tomorrow.plus(Duration.ofHours(3)),
            tomorrow.plus(Duration.ofHours(4)),
            false);
    google.userAddsEvent(
        DOCTOR,
        "Focus time",
        tomorrow.plus(Duration.ofHours(5)),
        tomorrow.plus(Duration.ofHours(6)),
        true);
    LocalDate day = LocalDate.ofInstant(tomorrow, PARIS).plusDays(2);
    String holiday = google.userAddsAllDayEvent(DOCTOR, "Holiday", day, day, false);
    String invitation =
        google.userIsInvited(
            DOCTOR,
            "Board meeting",
            tomorrow.plus(Duration.ofHours(7)),
            tomorrow.plus(Duration.ofHours(8)),
            "chair@example.org");
    google.userDeclines(DOCTOR, invitation);

    CalendarChanges changes = provider.changes(account, DOCTOR, null);

    assertThat(changes.fullSync()).isTrue();
    assertThat(changes.busy())
        .containsExactlyInAnyOrder(
            new BusyBlock(
                dentist,
                tomorrow.plus(Duration.ofHours(3)),
                tomorrow.plus(Duration.ofHours(4)),
                false),
            new BusyBlock(
                holiday,
                day.atStartOfDay(PARIS).toInstant(),
                day.plusDays(1).atStartOfDay(PARIS).toInstant(),
                true));
    assertThat(changes.ownEvents())
        .extracting(OwnEvent::externalId, OwnEvent::deleted)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(own.externalId(), false));
    assertThat(changes.nextCursor()).isNotBlank();
  }

  @Test
  void pagesThroughAFullSyncAndThenReadsOnlyWhatChanged() {
    GoogleCalendarProvider paging = provider(2);
    UUID appointment = UUID.randomUUID();
    ExternalEvent own = paging.upsert(account, DOCTOR, session(appointment, 1, tomorrow));
    String lunch = busy("Lunch", 2);
    String gym = busy("Gym", 4);
    String school = busy("School run", 6);
    busy("Call", 8);

    CalendarChanges first = paging.changes(account, DOCTOR, null);

    assertThat(first.busy()).hasSize(4);
    assertThat(google.counts().lists()).isEqualTo(3); // 5 events in pages of 2

    google.userMovesEvent(
        DOCTOR,
        own.externalId(),
        tomorrow.plus(Duration.ofHours(10)),
        tomorrow.plus(Duration.ofHours(11)));
    google.userDeletesEvent(DOCTOR, lunch);
    google.userMovesEvent(
        DOCTOR, gym, tomorrow.plus(Duration.ofHours(12)), tomorrow.plus(Duration.ofHours(13)));
    String added = busy("Conference", 14);

    CalendarChanges second = paging.changes(account, DOCTOR, first.nextCursor());

    assertThat(second.fullSync()).isFalse();
    assertThat(second.freed()).containsExactly(lunch);
    assertThat(second.busy())
        .extracting(BusyBlock::externalId)
        .containsExactlyInAnyOrder(gym, added);
    assertThat(second.busy())
        .filteredOn(b -> b.externalId().equals(gym))
        .extracting(BusyBlock::start)
        .containsExactly(tomorrow.plus(Duration.ofHours(12)));
    assertThat(second.ownEvents())
        .containsExactly(
            new OwnEvent(
                appointment,
                own.externalId(),
                java.util.OptionalLong.of(1),
                false,
                Optional.of(tomorrow.plus(Duration.ofHours(10))),
                Optional.of(tomorrow.plus(Duration.ofHours(11)))));
    assertThat(second.busy()).extracting(BusyBlock::externalId).doesNotContain(school);

    google.userDeletesEvent(DOCTOR, own.externalId());
    CalendarChanges third = paging.changes(account, DOCTOR, second.nextCursor());

    assertThat(third.ownEvents()).singleElement().satisfies(e -> assertThat(e.deleted()).isTrue());
    assertThat(third.busy()).isEmpty();

    CalendarChanges quiet = paging.changes(account, DOCTOR, third.nextCursor());
    assertThat(quiet.busy()).isEmpty();
    assertThat(quiet.ownEvents()).isEmpty();
    assertThat(quiet.nextCursor()).isEqualTo(third.nextCursor());
  }

  @Test
  void anExpiredSyncTokenIsACursorExpiredAndAFullSyncStartsOver() {
    busy("Lunch", 2);
    CalendarChanges first = provider.changes(account, DOCTOR, null);
    google.expireSyncTokens(DOCTOR);

    assertThatThrownBy(() -> provider.changes(account, DOCTOR, first.nextCursor()))
        .isInstanceOf(CursorExpired.class);

    CalendarChanges again = provider.changes(account, DOCTOR, null);
    assertThat(again.busy()).hasSize(1);
    assertThat(again.nextCursor()).isNotEqualTo(first.nextCursor());
  }

  // --- tokens and quotas ----------------------------------------------------------------------

  @Test
  void anExpiredAccessTokenIsReplacedOnceAndTheCallGoesThrough() {
    provider.changes(account, DOCTOR, null);
    clock.advance(Duration.ofMinutes(61));

    provider.upsert(account, DOCTOR, session(UUID.randomUUID(), 1, tomorrow));

    assertThat(account.invalidated).hasSize(1);
    assertThat(google.events(DOCTOR)).hasSize(1);
  }

  @Test
  void aRevokedUserIsNotAuthorized() {
    provider.changes(account, DOCTOR, null);
    google.revokeUser(DOCTOR);

    assertThatThrownBy(() -> provider.changes(account, DOCTOR, null))
        .isInstanceOf(NotAuthorized.class);
  }

  @Test
  void rateLimitAnswersAreRetriedByTheConnector() {
    google.failNext(1, 403, "rateLimitExceeded", Map.of());
    google.failNext(1, 429, "rateLimitExceeded", Map.of("Retry-After", "0"));

    provider.upsert(account, DOCTOR, session(UUID.randomUUID(), 1, tomorrow));

    assertThat(google.counts().injectedFaults()).isEqualTo(2);
    assertThat(google.counts().inserts()).isEqualTo(1);
  }

  // --- helpers --------------------------------------------------------------------------------

  private String busy(String summary, int hoursFromTomorrow) {
    Instant start = tomorrow.plus(Duration.ofHours(hoursFromTomorrow));
    return google.userAddsEvent(DOCTOR, summary, start, start.plus(Duration.ofHours(1)), false);
  }

  private CalendarEvent session(UUID appointment, long version, Instant start) {
    return new CalendarEvent(
        appointment,
        version,
        "Video session",
        "Booked through the practice.",
        start,
        start.plus(Duration.ofMinutes(50)),
        PARIS,
        Optional.empty(),
        Optional.of(
            new CalendarEvent.Join(URI.create("https://us06web.zoom.us/j/92612345678"), "")),
        CalendarEvent.Status.CONFIRMED);
  }

  private GoogleCalendarProvider provider(int pageSize) {
    GoogleResilience quick =
        new GoogleResilience(
            10,
            5,
            50,
            Duration.ofSeconds(30),
            2,
            1_000,
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            3,
            Duration.ofMillis(20),
            Duration.ofSeconds(2),
            Duration.ofMinutes(5));
    return new GoogleCalendarProvider(
        new GoogleSettings(
            google.baseUrl(),
            Duration.ofSeconds(2),
            Duration.ofSeconds(5),
            pageSize,
            Duration.ofDays(1)),
        quick);
  }

  /**
   * Linked as the hub would: an authorization code with PKCE exchanged at the fake's token
   * endpoint; a refused token is replaced by a refresh, and {@code invalid_grant} makes the account
   * answer {@link NotAuthorized}.
   */
  static final class FakeAccount implements CalendarAccount {
    private static final String CLIENT = "hub.apps.googleusercontent.com";
    private static final String SECRET = "hub-secret";
    private static final String REDIRECT = "https://hub.example.com/oauth/google/callback";

    private final GoogleWire wire;
    private final String refreshToken;
    private @Nullable String token;
    final List<String> invalidated = new CopyOnWriteArrayList<>();

    FakeAccount(GoogleFake google, String email) {
      this.wire = new GoogleWire(google.baseUrl());
      google.addClient(CLIENT, SECRET);
      String verifier = "a-verifier-of-at-least-forty-three-characters-0123456789";
      String code =
          google.issueAuthorizationCode(
              CLIENT,
              REDIRECT,
              GoogleFakeOAuthTest.s256(verifier),
              email,
              List.of(GoogleFake.CALENDAR_SCOPE));
      GoogleWire.Answer granted =
          wire.form(
              "/token",
              Map.of(
                  "grant_type", "authorization_code",
                  "code", code,
                  "redirect_uri", REDIRECT,
                  "code_verifier", verifier,
                  "client_id", CLIENT,
                  "client_secret", SECRET));
      this.token = granted.json().path("access_token").asString();
      this.refreshToken = granted.json().path("refresh_token").asString();
    }

    @Override
    public String id() {
      return "google:provider-1";
    }

    @Override
    public synchronized String accessToken() {
      if (token == null) {
        throw new NotAuthorized("the Google grant was revoked", null);
      }
      return token;
    }

    @Override
    public synchronized void invalidate(String rejected) {
      invalidated.add(rejected);
      if (!rejected.equals(token)) {
        return;
      }
      GoogleWire.Answer refreshed =
          wire.form(
              "/token",
              Map.of(
                  "grant_type", "refresh_token",
                  "refresh_token", refreshToken,
                  "client_id", CLIENT,
                  "client_secret", SECRET));
      token = refreshed.status() == 200 ? refreshed.json().path("access_token").asString() : null;
    }

    @Override
    public String toString() {
      return "FakeAccount[<redacted>]";
    }
  }
}
