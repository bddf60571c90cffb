package org.sessionbridge.connector.microsoft;

import com.microsoft.graph.models.BaseDeltaFunctionResponse;
import com.microsoft.graph.models.Calendar;
import com.microsoft.graph.models.CalendarCollectionResponse;
import com.microsoft.graph.models.Event;
import com.microsoft.graph.models.EventCollectionResponse;
import com.microsoft.graph.models.FreeBusyStatus;
import com.microsoft.graph.models.Subscription;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.BaseRequestConfiguration;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.connector.microsoft.GraphFailure.Kind;
import org.sessionbridge.core.calendar.CalendarAccount;
import org.sessionbridge.core.calendar.CalendarChanges;
import org.sessionbridge.core.calendar.CalendarEvent;
import org.sessionbridge.core.calendar.CalendarInfo;
import org.sessionbridge.core.calendar.ExternalEvent;
import org.sessionbridge.core.calendar.Removal;
import org.sessionbridge.core.port.CalendarProvider;
import org.sessionbridge.core.port.CalendarProviderException;
import org.sessionbridge.core.port.CalendarProviderException.CursorExpired;
import org.sessionbridge.core.port.CalendarProviderException.Retryable;

/**
 * Outlook calendars as a {@link CalendarProvider}, on the Graph SDK behind the guards of {@link
 * GraphCalls} (a bulkhead of 4 per linked account: Outlook's per-mailbox limit). Each linked
 * account's delegated token comes from {@link CalendarAccount} (the hub's vault refreshes it with
 * {@link MicrosoftTokenEndpoint#refresh}); requests go to {@code /me}. A {@code calendarId} of
 * {@code primary} is the account's default calendar ({@code /me/calendar}), anything else a Graph
 * calendar id ({@code /me/calendars/{id}}).
 *
 * <p><b>Idempotent writes.</b> Graph chooses event ids, so our event is found by the appointment id
 * kept in a single-value extended property ({@code $filter} on it) before anything is written:
 * found → {@code PATCH /me/events/{id}} with the whole event; not found → {@code POST …/events}
 * with a {@code transactionId} derived from the appointment and its version, so that a create
 * repeated after a lost answer (here, inline, or by the caller) does not make a second event
 * (API-NOTES §2.3: Graph's dedupe key, best effort, which is why the lookup comes first).
 *
 * <p><b>Changes</b> come from the calendar view's delta ({@code …/calendarView/delta} with a window
 * of {@link MicrosoftSettings#syncLookBack()} back and {@link MicrosoftSettings#syncLookAhead()}
 * ahead, {@code Prefer: odata.maxpagesize} and {@code outlook.timezone="UTC"}), following every
 * {@code @odata.nextLink}; the cursor is the last page's whole {@code @odata.deltaLink}. A 410 or
 * {@code syncStateNotFound} / {@code resyncRequired} is {@link CursorExpired}, exactly as Google's
 * 410: read once without a cursor and replace what is held. Links are only followed under {@link
 * MicrosoftSettings#graphBaseUrl()}, so the bearer token never goes anywhere else.
 *
 * <p><b>Push</b> is a Graph subscription ({@link #watch}, {@link #renew}, {@link #stopWatch}); the
 * hub's {@code /webhooks/microsoft} endpoint checks what arrives with {@link GraphWebhooks}.
 *
 * <p><b>Failures</b> are mapped in {@link GraphErrors}: 401 after a fresh token → {@link
 * CalendarProviderException.NotAuthorized}; 403 → {@code NotAuthorized}; 404 of the calendar →
 * {@link CalendarProviderException.Gone}; 429/503 with {@code Retry-After}, 5xx, timeouts, resets,
 * open breaker, full mailbox → {@link Retryable}; other 4xx → {@link
 * CalendarProviderException.Rejected}. Messages never carry tokens, titles, bodies or join links.
 *
 * <p><b>Threading.</b> Thread-safe and blocking; one instance serves every account.
 */
public final class OutlookCalendarProvider implements CalendarProvider {

  /** The calendar id that means the account's default calendar, as in the Google connector. */
  public static final String PRIMARY = "primary";

  /**
   * The longest subscription we ask for: just under Graph's 10 080 minutes for Outlook events
   * (API-NOTES §2.6).
   */
  static final Duration MAX_SUBSCRIPTION = Duration.ofMinutes(10_070);

  /** What older Graph documentation allowed; asked for when a longer expiry is refused. */
  static final Duration FALLBACK_SUBSCRIPTION = Duration.ofMinutes(4_230);

  /** Stops a sync whose pages never end. */
  static final int MAX_PAGES = 1_000;

  private final MicrosoftSettings settings;
  private final Clock clock;
  private final GraphErrors errors;
  private final GraphCalls calls;

  public OutlookCalendarProvider(MicrosoftSettings settings, MicrosoftResilience resilience) {
    this(settings, resilience, Clock.systemUTC());
  }

  OutlookCalendarProvider(MicrosoftSettings settings, MicrosoftResilience resilience, Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.errors = new GraphErrors(clock, Objects.requireNonNull(resilience, "resilience"));
    this.calls = new GraphCalls("graph-outlook", settings, resilience, clock, errors);
  }

  /** Finds our event by its appointment; PATCHes it, or creates it with a transactionId. */
  @Override
  public ExternalEvent upsert(CalendarAccount account, String calendarId, CalendarEvent event) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(calendarId, "calendarId");
    Objects.requireNonNull(event, "event");
    String operation = "upsert event of appointment " + event.appointmentId();
    Optional<Event> existing = find(account, calendarId, event.appointmentId(), operation);
    if (existing.isPresent()) {
      String id = Objects.requireNonNull(existing.get().getId());
      try {
        Event patched =
            call(
                account,
                operation,
                true,
                (graph, bearer) ->
                    graph
                        .me()
                        .events()
                        .byEventId(id)
                        .patch(OutlookEvents.toGraph(event, false), c -> headers(c, bearer)),
                Kind.NOT_FOUND);
        return stored(patched, id, event.version(), false);
      } catch (GraphFailure deletedMeanwhile) {
        // deleted between the lookup and the PATCH: create it again below
      }
    }
    Event created =
        call(
            account,
            operation,
            true, // the transactionId makes a repeated create harmless
            (graph, bearer) ->
                createEvent(graph, calendarId, OutlookEvents.toGraph(event, true), bearer));
    return stored(created, "", event.version(), true);
  }

  /**
   * Finds our event; {@link Removal#DELETE} deletes it, {@link Removal#MARK_CANCELLED} keeps it as
   * "Cancelled: …", shown as free, with our status property {@code cancelled}. Not found, or gone
   * meanwhile → {@code false}.
   */
  @Override
  public boolean remove(
      CalendarAccount account, String calendarId, UUID appointmentId, Removal removal) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(calendarId, "calendarId");
    Objects.requireNonNull(removal, "removal");
    String operation = "remove event of appointment " + appointmentId;
    Optional<Event> existing = find(account, calendarId, appointmentId, operation);
    if (existing.isEmpty()) {
      return false;
    }
    String id = Objects.requireNonNull(existing.get().getId());
    String subject = existing.get().getSubject() == null ? "" : existing.get().getSubject();
    try {
      if (removal == Removal.DELETE) {
        call(
            account,
            operation,
            true,
            (graph, bearer) -> {
              graph.me().events().byEventId(id).delete(c -> headers(c, bearer));
              return Boolean.TRUE;
            },
            Kind.NOT_FOUND);
      } else {
        call(
            account,
            operation,
            true,
            (graph, bearer) -> {
              Event cancelled = new Event();
              cancelled.setSubject(
                  subject.startsWith(OutlookEvents.CANCELLED_PREFIX)
                      ? subject
                      : OutlookEvents.CANCELLED_PREFIX + subject);
              cancelled.setShowAs(FreeBusyStatus.Free);
              cancelled.setSingleValueExtendedProperties(
                  List.of(OutlookEvents.property(OutlookEvents.STATUS_PROPERTY, "cancelled")));
              return graph.me().events().byEventId(id).patch(cancelled, c -> headers(c, bearer));
            },
            Kind.NOT_FOUND);
      }
      return true;
    } catch (GraphFailure goneMeanwhile) {
      return false;
    }
  }

  /**
   * The calendar view's delta from {@code cursor} (a whole {@code @odata.deltaLink}), or a new
   * round over the window when there is none; every page followed.
   */
  @Override
  public CalendarChanges changes(
      CalendarAccount account, String calendarId, @Nullable String cursor) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(calendarId, "calendarId");
    boolean full = cursor == null;
    String operation = full ? "full sync" : "incremental sync";
    if (cursor != null && !underGraph(cursor)) {
      throw new CursorExpired(
          "Microsoft Graph "
              + operation
              + ": the cursor is not a delta link of "
              + settings.graphBaseUrl()
              + "; a full sync is needed",
          null);
    }
    Instant now = clock.instant();
    String from = now.minus(settings.syncLookBack()).atOffset(ZoneOffset.UTC).toString();
    String to = now.plus(settings.syncLookAhead()).atOffset(ZoneOffset.UTC).toString();
    OutlookEvents.Changes changes = new OutlookEvents.Changes();
    String link = cursor;
    int pages = 0;
    while (true) {
      if (pages == MAX_PAGES) {
        throw errors.toCalendar(
            operation, errors.unreadable(operation, "more than " + MAX_PAGES + " pages"), null);
      }
      String page = link;
      BaseDeltaFunctionResponse response;
      List<Event> items;
      try {
        DeltaPage read =
            call(
                account,
                operation + " page " + (pages + 1),
                true,
                (graph, bearer) -> delta(graph, calendarId, page, from, to, bearer),
                Kind.GONE,
                Kind.SYNC_RESET);
        response = read.response;
        items = read.items;
      } catch (GraphFailure expired) {
        if (full && pages == 0) {
          throw errors.toCalendar(operation, expired, null);
        }
        throw new CursorExpired(
            expired.getMessage() + "; the delta link expired, a full sync is needed", null);
      }
      changes.add(items);
      pages++;
      String next = response.getOdataNextLink();
      String delta = response.getOdataDeltaLink();
      if (next != null && !next.isBlank()) {
        if (!underGraph(next)) {
          throw new Retryable(
              "Microsoft Graph "
                  + operation
                  + ": a next link outside "
                  + settings.graphBaseUrl()
                  + " was not followed",
              null,
              null);
        }
        link = next;
        continue;
      }
      if (delta == null || delta.isBlank()) {
        throw new Retryable(
            "Microsoft Graph " + operation + ": the last page carries no @odata.deltaLink",
            null,
            null);
      }
      if (!full) {
        confirmRemovals(account, changes, operation);
      }
      return changes.result(full, delta);
    }
  }

  /**
   * Graph's delta reports an event as {@code @removed} both when it was deleted and when it only
   * left the sync window (our own PATCH of a session beyond it does that). Each removed id is read
   * once ({@code GET /me/events/{id}}): 404 means deleted (an id of ours among them is a deletion
   * by the owner, which the hub puts back); an event still there is reported as it is (ours by its
   * transactionId) so a window edge is never taken for a deletion.
   */
  private void confirmRemovals(
      CalendarAccount account, OutlookEvents.Changes changes, String operation) {
    for (String id : List.copyOf(changes.removed())) {
      try {
        Event item =
            call(
                account,
                operation + ": check a removed event",
                true,
                (graph, bearer) ->
                    graph
                        .me()
                        .events()
                        .byEventId(id)
                        .get(
                            c -> {
                              headers(c, bearer);
                              c.queryParameters.select =
                                  new String[] {
                                    "id", "transactionId", "start", "end", "isCancelled"
                                  };
                            }),
                Kind.NOT_FOUND,
                Kind.GONE);
        if (item != null) {
          changes.stillThere(item);
        }
      } catch (GraphFailure gone) {
        // deleted: stays freed
      }
    }
  }

  /**
   * {@code GET /me/calendars}: the mailbox's calendars, default first (stored as {@code primary},
   * which this provider reads as the default calendar); writable = {@code canEdit}.
   */
  @Override
  public List<CalendarInfo> calendars(CalendarAccount account) {
    Objects.requireNonNull(account, "account");
    CalendarCollectionResponse page =
        call(
            account,
            "list calendars",
            true,
            (graph, bearer) ->
                graph
                    .me()
                    .calendars()
                    .get(
                        c -> {
                          headers(c, bearer);
                          c.queryParameters.select =
                              new String[] {"id", "name", "isDefaultCalendar", "canEdit"};
                          c.queryParameters.top = 100;
                        }));
    List<CalendarInfo> found = new ArrayList<>();
    for (Calendar c : page.getValue() == null ? List.<Calendar>of() : page.getValue()) {
      if (c.getId() == null || c.getId().isBlank()) {
        continue;
      }
      found.add(
          new CalendarInfo(
              c.getId(),
              c.getName() == null ? c.getId() : c.getName(),
              Boolean.TRUE.equals(c.getIsDefaultCalendar()),
              Boolean.TRUE.equals(c.getCanEdit())));
    }
    found.sort(java.util.Comparator.comparing((CalendarInfo c) -> !c.primary()));
    return found;
  }

  /**
   * {@code POST /subscriptions} for the calendar's events ({@code created,updated,deleted}) with
   * {@code token} as {@code clientState} and {@code address} as notification and lifecycle URL,
   * expiring after {@code ttl} but at most {@link #MAX_SUBSCRIPTION} (a refused expiry is asked
   * again with {@link #FALLBACK_SUBSCRIPTION}). Graph validates the URL before answering. Not
   * repeated on failure (a repeat could make a second subscription). {@code channelId} is not sent:
   * Graph names the subscription; its id is the returned resource id.
   */
  @Override
  public Watch watch(
      CalendarAccount account,
      String calendarId,
      String channelId,
      String token,
      URI address,
      Duration ttl) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(calendarId, "calendarId");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(channelId, "channelId");
    // The client state carries the hub's channel id with its token, so a notification names its
    // channel before Graph's subscription id is known to the hub (the validation handshake and
    // the first notifications can arrive while the create call is still answering).
    token = channelId + "." + token;
    if (token.length() > 128) {
      throw new CalendarProviderException.Rejected(
          "Microsoft Graph watch calendar not sent: clientState is at most 128 characters", null);
    }
    String resource =
        PRIMARY.equals(calendarId) ? "/me/events" : "/me/calendars/" + calendarId + "/events";
    Duration asked = ttl.compareTo(MAX_SUBSCRIPTION) > 0 ? MAX_SUBSCRIPTION : ttl;
    try {
      return subscribe(account, resource, token, address, asked);
    } catch (CalendarProviderException.Rejected tooLong) {
      if (asked.compareTo(FALLBACK_SUBSCRIPTION) <= 0
          || !String.valueOf(tooLong.getMessage()).toLowerCase().contains("expiration")) {
        throw tooLong;
      }
      return subscribe(account, resource, token, address, FALLBACK_SUBSCRIPTION);
    }
  }

  private Watch subscribe(
      CalendarAccount account, String resource, String token, URI address, Duration ttl) {
    OffsetDateTime expiry = clock.instant().plus(ttl).atOffset(ZoneOffset.UTC);
    Subscription created =
        call(
            account,
            "watch calendar",
            false,
            (graph, bearer) -> {
              Subscription request = new Subscription();
              request.setChangeType("created,updated,deleted");
              request.setResource(resource);
              request.setNotificationUrl(address.toString());
              request.setLifecycleNotificationUrl(address.toString());
              request.setClientState(token);
              request.setExpirationDateTime(expiry);
              return graph.subscriptions().post(request, c -> GraphCalls.authorize(c, bearer));
            });
    if (created.getId() == null || created.getId().isBlank()) {
      throw new Retryable(
          "Microsoft Graph watch calendar: the subscription carries no id", null, null);
    }
    Instant expires =
        created.getExpirationDateTime() == null
            ? expiry.toInstant()
            : created.getExpirationDateTime().toInstant();
    return new Watch(created.getId(), expires);
  }

  /**
   * {@code PATCH /subscriptions/{id}} with a new expiry ({@code ttl}, at most {@link
   * #MAX_SUBSCRIPTION}).
   *
   * @return the granted expiry, or empty when the subscription no longer exists (watch again)
   */
  public Optional<Instant> renew(CalendarAccount account, String subscriptionId, Duration ttl) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(subscriptionId, "subscriptionId");
    OffsetDateTime expiry =
        clock
            .instant()
            .plus(ttl.compareTo(MAX_SUBSCRIPTION) > 0 ? MAX_SUBSCRIPTION : ttl)
            .atOffset(ZoneOffset.UTC);
    try {
      Subscription renewed =
          call(
              account,
              "renew subscription",
              true,
              (graph, bearer) -> {
                Subscription patch = new Subscription();
                patch.setExpirationDateTime(expiry);
                return graph
                    .subscriptions()
                    .bySubscriptionId(subscriptionId)
                    .patch(patch, c -> GraphCalls.authorize(c, bearer));
              },
              Kind.NOT_FOUND);
      return Optional.of(
          renewed.getExpirationDateTime() == null
              ? expiry.toInstant()
              : renewed.getExpirationDateTime().toInstant());
    } catch (GraphFailure gone) {
      return Optional.empty();
    }
  }

  /** {@code DELETE /subscriptions/{resourceId}}; one that is gone already counts as stopped. */
  @Override
  public void stopWatch(CalendarAccount account, String channelId, String resourceId) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(resourceId, "resourceId");
    try {
      call(
          account,
          "stop subscription",
          true,
          (graph, bearer) -> {
            graph
                .subscriptions()
                .bySubscriptionId(resourceId)
                .delete(c -> GraphCalls.authorize(c, bearer));
            return Boolean.TRUE;
          },
          Kind.NOT_FOUND);
    } catch (GraphFailure goneAlready) {
      // expired or deleted already
    }
  }

  @Override
  public String toString() {
    return "OutlookCalendarProvider["
        + settings.graphBaseUrl()
        + ", accounts="
        + calls.mailboxes()
        + ", breaker="
        + calls.breakerState()
        + "]";
  }

  GraphCalls calls() {
    return calls;
  }

  /** Our event of the appointment, by the extended property ({@code $filter}). */
  private Optional<Event> find(
      CalendarAccount account, String calendarId, UUID appointmentId, String operation) {
    String filter =
        "singleValueExtendedProperties/Any(ep: ep/id eq '"
            + OutlookEvents.APPOINTMENT_PROPERTY
            + "' and ep/value eq '"
            + appointmentId
            + "')";
    EventCollectionResponse found =
        call(
            account,
            operation,
            true,
            (graph, bearer) -> findEvents(graph, calendarId, filter, bearer));
    List<Event> value = found.getValue() == null ? List.of() : found.getValue();
    return value.stream().filter(e -> e.getId() != null && !e.getId().isBlank()).findFirst();
  }

  /** {@code POST …/calendar/events} or {@code …/calendars/{id}/events}. */
  private static Event createEvent(
      GraphServiceClient graph, String calendarId, Event event, String bearer) {
    return PRIMARY.equals(calendarId)
        ? graph.me().calendar().events().post(event, c -> headers(c, bearer))
        : graph
            .me()
            .calendars()
            .byCalendarId(calendarId)
            .events()
            .post(event, c -> headers(c, bearer));
  }

  /** {@code GET …/events?$filter=…&$select=id,subject,changeKey&$top=5}. */
  private static EventCollectionResponse findEvents(
      GraphServiceClient graph, String calendarId, String filter, String bearer) {
    String[] select = {"id", "subject", "changeKey"};
    if (PRIMARY.equals(calendarId)) {
      return graph
          .me()
          .calendar()
          .events()
          .get(
              c -> {
                headers(c, bearer);
                c.queryParameters.filter = filter;
                c.queryParameters.select = select;
                c.queryParameters.top = 5;
              });
    }
    return graph
        .me()
        .calendars()
        .byCalendarId(calendarId)
        .events()
        .get(
            c -> {
              headers(c, bearer);
              c.queryParameters.filter = filter;
              c.queryParameters.select = select;
              c.queryParameters.top = 5;
            });
  }

  /** One delta page: the first request of a round, or a next/delta link followed verbatim. */
  private record DeltaPage(BaseDeltaFunctionResponse response, List<Event> items) {}

  private DeltaPage delta(
      GraphServiceClient graph,
      String calendarId,
      @Nullable String link,
      String from,
      String to,
      String bearer) {
    Consumer<BaseRequestConfiguration> prefer =
        c -> {
          headers(c, bearer);
          c.headers.add("Prefer", "odata.maxpagesize=" + settings.deltaPageSize());
        };
    if (PRIMARY.equals(calendarId)) {
      var builder =
          link == null
              ? graph.me().calendarView().delta()
              : graph.me().calendarView().delta().withUrl(link);
      var response =
          builder.get(
              c -> {
                prefer.accept(c);
                if (link == null) {
                  c.queryParameters.startDateTime = from;
                  c.queryParameters.endDateTime = to;
                }
              });
      return new DeltaPage(response, response.getValue() == null ? List.of() : response.getValue());
    }
    var calendar = graph.me().calendars().byCalendarId(calendarId).calendarView().delta();
    var builder = link == null ? calendar : calendar.withUrl(link);
    var response =
        builder.get(
            c -> {
              prefer.accept(c);
              if (link == null) {
                c.queryParameters.startDateTime = from;
                c.queryParameters.endDateTime = to;
              }
            });
    return new DeltaPage(response, response.getValue() == null ? List.of() : response.getValue());
  }

  /** The bearer token and UTC times in every answer (API-NOTES §2.3). */
  private static void headers(BaseRequestConfiguration c, String bearer) {
    GraphCalls.authorize(c, bearer);
    c.headers.add("Prefer", "outlook.timezone=\"UTC\"");
  }

  private boolean underGraph(String link) {
    return link.startsWith(settings.graphBaseUrl() + "/");
  }

  /**
   * Runs one request behind the guards; failures of the {@code expected} kinds come back as the
   * {@link GraphFailure} for the caller to act on, every other as the port's exception.
   */
  private <T> T call(
      CalendarAccount account,
      String operation,
      boolean idempotent,
      GraphCalls.Request<T> request,
      Kind... expected) {
    T answer;
    try {
      answer =
          calls.call(
              "outlook/" + account.id(),
              new AccountTokens(account),
              operation,
              idempotent,
              request);
    } catch (GraphFailure failure) {
      for (Kind kind : expected) {
        if (failure.kind() == kind) {
          throw failure;
        }
      }
      throw errors.toCalendar(operation, failure, calls.remainingOpenWait());
    } catch (RuntimeException failure) {
      throw errors.toCalendar(operation, failure, calls.remainingOpenWait());
    }
    if (answer == null) {
      throw errors.toCalendar(
          operation, errors.unreadable(operation, "an answer without a body"), null);
    }
    return answer;
  }

  private static ExternalEvent stored(
      Event event, String fallbackId, long appointmentVersion, boolean created) {
    String id = event.getId() == null ? fallbackId : event.getId();
    if (id.isEmpty()) {
      throw new Retryable(
          "Microsoft Graph upsert event: the answer carries no event id", null, null);
    }
    Object etag =
        event.getAdditionalData() == null ? null : event.getAdditionalData().get("@odata.etag");
    String version =
        event.getChangeKey() != null ? event.getChangeKey() : etag == null ? "" : etag.toString();
    return new ExternalEvent(id, version, appointmentVersion, created);
  }

  /** A linked account as the guards' token source; its port exceptions pass through. */
  private record AccountTokens(CalendarAccount account) implements GraphCalls.Tokens {
    @Override
    public String accessToken() {
      return account.accessToken();
    }

    @Override
    public void invalidate(String rejected) {
      account.invalidate(rejected);
    }

    @Override
    public String toString() {
      return "AccountTokens[" + account.id() + "]";
    }
  }
}
