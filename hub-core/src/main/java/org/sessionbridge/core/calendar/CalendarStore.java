package org.sessionbridge.core.calendar;

import static org.sessionbridge.core.store.SqlTime.instant;
import static org.sessionbridge.core.store.SqlTime.nullableInstant;
import static org.sessionbridge.core.store.SqlTime.utc;

import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.appointment.Modality;
import org.sessionbridge.core.error.ConflictException;
import org.sessionbridge.core.store.RowClaims;
import org.sessionbridge.core.store.Sha256;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Providers' linked calendars, the event the hub keeps in each for every appointment, the audit of
 * what it did to them, and the busy time read back.
 *
 * <p><b>Wanted versus pushed.</b> {@link #plan} (called by the outbox, inside its delivery
 * transaction, so exactly once per appointment version) records what the newest version wants in
 * each calendar. The push route {@link #claimDue claims} rows with work under a lease, calls the
 * calendar and records the result; every write of a worker names its lease and does nothing once
 * the lease has passed to another node. No intent is recorded before a push: the port's upsert and
 * remove are idempotent per appointment.
 *
 * <p><b>Pulls.</b> Links are pulled one node at a time under their own lease ({@link #claimPulls});
 * {@link #applyPull} stores busy blocks, the drift of our own events and the next cursor in one
 * transaction, so a cursor is never saved ahead of what it read.
 */
public final class CalendarStore {

  private static final int MAX_TEXT = 1000;
  private static final Duration PARKED_FOR = Duration.ofDays(3650);

  private final JdbcClient jdbc;
  private final TransactionOperations tx;
  private final Clock clock;

  public CalendarStore(JdbcClient jdbc, TransactionOperations tx, Clock clock) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.clock = clock;
  }

  // --- links ---------------------------------------------------------------------------------

  /** Links a calendar that receives the provider's sessions; it is pulled at once (a full sync). */
  public CalendarLink link(
      UUID practiceId,
      UUID providerId,
      CalendarLink.Kind kind,
      String calendarId,
      boolean countsBusy,
      Removal removal) {
    return link(practiceId, providerId, kind, calendarId, true, countsBusy, removal);
  }

  /**
   * Links a calendar for a provider; it is pulled at once (a full sync). Throws {@link
   * ConflictException} (field {@code calendarId}) when the provider linked it already, and {@link
   * IllegalArgumentException} when the link would neither receive sessions nor count as busy.
   */
  public CalendarLink link(
      UUID practiceId,
      UUID providerId,
      CalendarLink.Kind kind,
      String calendarId,
      boolean receivesSessions,
      boolean countsBusy,
      Removal removal) {
    if (!receivesSessions && !countsBusy) {
      throw new IllegalArgumentException("a link receives sessions or counts as busy, or both");
    }
    UUID id = UUID.randomUUID();
    Instant now = clock.instant();
    try {
      jdbc.sql(
              "insert into calendar_link (id, practice_id, provider_id, kind, calendar_id,"
                  + " receives_sessions, counts_busy, removal, status, next_pull_at, pull_seq,"
                  + " pulled_seq, pull_attempts, created_at, updated_at) values (:id, :practice,"
                  + " :provider, :kind, :calendar, :sessions, :busy, :removal, 'ACTIVE', :now, 0, 0,"
                  + " 0, :now, :now)")
          .param("id", id)
          .param("practice", practiceId)
          .param("provider", providerId)
          .param("kind", kind.name())
          .param("calendar", calendarId)
          .param("sessions", receivesSessions)
          .param("busy", countsBusy)
          .param("removal", removal.name())
          .param("now", utc(now))
          .update();
    } catch (DuplicateKeyException e) {
      throw new ConflictException(
          "calendarId",
          "the provider linked this calendar already; unlink it first to link it differently");
    }
    return linkById(id).orElseThrow();
  }

  /**
   * Removes the practice's link with its busy blocks and event rows (the audit stays). Events
   * already in the calendar are left there: the hub no longer holds the owner's consent to remove
   * them. Returns false when the practice has no such link.
   */
  public boolean unlink(UUID practiceId, UUID linkId) {
    return Boolean.TRUE.equals(
        tx.execute(
            status -> {
              jdbc.sql(
                      "delete from busy_block where link_id = :id and exists (select 1 from"
                          + " calendar_link l where l.id = :id and l.practice_id = :p)")
                  .param("id", linkId)
                  .param("p", practiceId)
                  .update();
              jdbc.sql(
                      "delete from calendar_event where link_id = :id and exists (select 1 from"
                          + " calendar_link l where l.id = :id and l.practice_id = :p)")
                  .param("id", linkId)
                  .param("p", practiceId)
                  .update();
              return jdbc.sql("delete from calendar_link where id = :id and practice_id = :p")
                      .param("id", linkId)
                      .param("p", practiceId)
                      .update()
                  == 1;
            }));
  }

  public Optional<CalendarLink> linkById(UUID linkId) {
    return jdbc.sql("select * from calendar_link where id = :id")
        .param("id", linkId)
        .query(CalendarStore::linkRow)
        .optional();
  }

  /** The provider's links, oldest first. */
  public List<CalendarLink> links(UUID practiceId, UUID providerId) {
    return jdbc.sql(
            "select * from calendar_link where practice_id = :p and provider_id = :provider"
                + " order by created_at, id")
        .param("p", practiceId)
        .param("provider", providerId)
        .query(CalendarStore::linkRow)
        .list();
  }

  /**
   * Marks the link unusable ({@code NEEDS_REAUTHORIZATION} or {@code CALENDAR_GONE}) with the
   * vendor's reason and parks its rows that wait for work, in one transaction: calling again before
   * the owner acts would only be refused again. Rows leased to a worker are left to it (they park
   * on their own refusal). Returns how many rows were parked.
   */
  public int parkLink(UUID linkId, CalendarLink.Status status, String reason) {
    if (status == CalendarLink.Status.ACTIVE) {
      throw new IllegalArgumentException("parking a link needs a status other than ACTIVE");
    }
    Instant now = clock.instant();
    Integer parked =
        tx.execute(
            s -> {
              jdbc.sql(
                      "update calendar_link set status = :status, status_reason = :reason,"
                          + " updated_at = :now where id = :id")
                  .param("status", status.name())
                  .param("reason", truncate(reason, 500))
                  .param("now", utc(now))
                  .param("id", linkId)
                  .update();
              return jdbc.sql(
                      "update calendar_event set state = 'PARKED', last_error = :reason,"
                          + " next_attempt_at = :later, updated_at = :now where link_id = :id"
                          + " and state in ('PENDING', 'DEFERRED')"
                          + " and (lease_until is null or lease_until < :now)")
                  .param("reason", truncate(reason, MAX_TEXT))
                  .param("later", utc(now.plus(PARKED_FOR)))
                  .param("now", utc(now))
                  .param("id", linkId)
                  .update();
            });
    return parked == null ? 0 : parked;
  }

  /**
   * The link works again (its owner authorised again): it becomes ACTIVE, is pulled at once, its
   * push channel is looked at again at once, and its parked and refused rows are due now. Returns
   * how many rows were resumed.
   */
  public int resumeLink(UUID linkId) {
    Instant now = clock.instant();
    Integer resumed =
        tx.execute(
            s -> {
              jdbc.sql(
                      "update calendar_link set status = 'ACTIVE', status_reason = null,"
                          + " next_pull_at = :now, pull_attempts = 0, channel_due_at = null,"
                          + " channel_attempts = 0, updated_at = :now"
                          + " where id = :id")
                  .param("now", utc(now))
                  .param("id", linkId)
                  .update();
              return jdbc.sql(
                      "update calendar_event set state = 'PENDING', attempts = 0,"
                          + " next_attempt_at = :now, updated_at = :now where link_id = :id"
                          + " and state in ('PARKED', 'FAILED', 'DEFERRED')")
                  .param("now", utc(now))
                  .param("id", linkId)
                  .update();
            });
    return resumed == null ? 0 : resumed;
  }

  // --- planning ------------------------------------------------------------------------------

  /**
   * Records what appointment version {@code event.version()} wants in calendar {@code link}: the
   * event ({@code present}) or its removal. Versions at or below the recorded one are ignored (a
   * replayed dead letter). A removal of an event never planned writes nothing. Call inside the
   * outbox delivery transaction.
   *
   * @return whether the row changed
   */
  public boolean plan(CalendarLink link, Modality modality, CalendarEvent event, boolean present) {
    Instant now = clock.instant();
    CalendarEvent.Join join = event.join().orElse(null);
    int updated =
        jdbc.sql(
                "update calendar_event set wanted_version = :v, present = :present,"
                    + " provider_id = :provider, title = :title, description = :description,"
                    + " start_at = :start, end_at = :end, time_zone = :zone, modality = :modality,"
                    + " location = :location, join_url = :url, join_instructions = :instructions,"
                    + " event_status = :status,"
                    + " state = case when state = 'PARKED' then 'PARKED' else 'PENDING' end,"
                    + " attempts = 0,"
                    + " next_attempt_at = case when state = 'PARKED' then next_attempt_at"
                    + " else :now end, updated_at = :now"
                    + " where appointment_id = :id and link_id = :link and wanted_version < :v")
            .param("v", event.version())
            .param("present", present)
            .param("provider", link.providerId())
            .param("title", truncate(event.title(), 500))
            .param("description", truncate(event.description(), 2000))
            .param("start", utc(event.start()))
            .param("end", utc(event.end()))
            .param("zone", event.timeZone().getId())
            .param("modality", modality.name())
            .param("location", event.location().orElse(null))
            .param("url", join == null ? null : join.url().toString())
            .param("instructions", join == null ? null : join.instructions())
            .param("status", event.status().name())
            .param("now", utc(now))
            .param("id", event.appointmentId())
            .param("link", link.id())
            .update();
    if (updated > 0) {
      return true;
    }
    if (!present || work(event.appointmentId(), link.id()).isPresent()) {
      return false; // nothing to remove, or a newer version is recorded already
    }
    boolean parked = link.status() != CalendarLink.Status.ACTIVE;
    jdbc.sql(
            "insert into calendar_event (appointment_id, link_id, practice_id, provider_id,"
                + " wanted_version, present, title, description, start_at, end_at, time_zone,"
                + " modality, location, join_url, join_instructions, event_status,"
                + " synced_version, check_seq, checked_seq, state, attempts, next_attempt_at,"
                + " last_error, updated_at) values (:id, :link, :practice, :provider, :v, true,"
                + " :title, :description, :start, :end, :zone, :modality, :location, :url,"
                + " :instructions, :status, 0, 0, 0, :state, 0, :next, :error, :now)")
        .param("id", event.appointmentId())
        .param("link", link.id())
        .param("practice", link.practiceId())
        .param("provider", link.providerId())
        .param("v", event.version())
        .param("title", truncate(event.title(), 500))
        .param("description", truncate(event.description(), 2000))
        .param("start", utc(event.start()))
        .param("end", utc(event.end()))
        .param("zone", event.timeZone().getId())
        .param("modality", modality.name())
        .param("location", event.location().orElse(null))
        .param("url", join == null ? null : join.url().toString())
        .param("instructions", join == null ? null : join.instructions())
        .param("status", event.status().name())
        .param("state", parked ? "PARKED" : "PENDING")
        .param("next", utc(parked ? now.plus(PARKED_FOR) : now))
        .param("error", parked ? truncate(String.valueOf(link.statusReason()), MAX_TEXT) : null)
        .param("now", utc(now))
        .update();
    return true;
  }

  /**
   * Asks for the removal of the appointment's events in every calendar except {@code keep} (it
   * moved to another provider), as of {@code version}. Call inside the outbox delivery transaction.
   * Returns how many rows changed.
   */
  public int planRemovalElsewhere(UUID appointmentId, long version, Set<UUID> keep) {
    int changed = 0;
    for (CalendarWork w : works(appointmentId)) {
      if (keep.contains(w.linkId()) || w.wantedVersion() >= version || !w.present()) {
        continue;
      }
      changed +=
          jdbc.sql(
                  "update calendar_event set wanted_version = :v, present = false,"
                      + " state = case when state = 'PARKED' then 'PARKED' else 'PENDING' end,"
                      + " attempts = 0, next_attempt_at = case when state = 'PARKED'"
                      + " then next_attempt_at else :now end, updated_at = :now"
                      + " where appointment_id = :id and link_id = :link and wanted_version < :v")
              .param("v", version)
              .param("now", utc(clock.instant()))
              .param("id", appointmentId)
              .param("link", w.linkId())
              .update();
    }
    return changed;
  }

  /**
   * Asks for a fresh push of the appointment's events that should exist (its join link appeared or
   * changed). Rows waiting for a retry or parked keep waiting; they push the newest state anyway.
   * Returns how many rows were asked.
   */
  public int requestRefresh(UUID appointmentId) {
    Instant now = clock.instant();
    return jdbc.sql(
            "update calendar_event set check_seq = check_seq + 1,"
                + " state = case when state = 'SYNCED' then 'PENDING' else state end,"
                + " next_attempt_at = case when state = 'SYNCED' then :now"
                + " else next_attempt_at end, updated_at = :now"
                + " where appointment_id = :id and present = true")
        .param("now", utc(now))
        .param("id", appointmentId)
        .update();
  }

  // --- push work -----------------------------------------------------------------------------

  /**
   * Claims up to {@code limit} rows whose work is due and whose lease is free, for {@code lease}.
   * Safe from several nodes: a row goes to one of them.
   */
  public List<CalendarWork> claimDue(int limit, String worker, Duration lease) {
    Instant now = clock.instant();
    List<CalendarWork> claimed = new ArrayList<>();
    for (List<Object> key :
        DUE_EVENTS.claim(
            jdbc,
            limit,
            Map.of("worker", worker, "until", utc(now.plus(lease)), "now", utc(now)))) {
      work((UUID) key.get(0), (UUID) key.get(1)).ifPresent(claimed::add);
    }
    return claimed;
  }

  private static final RowClaims DUE_EVENTS =
      new RowClaims(
          "calendar_event",
          List.of("appointment_id", "link_id"),
          "state in ('PENDING', 'DEFERRED') and next_attempt_at <= :now"
              + " and (lease_until is null or lease_until < :now)",
          "next_attempt_at, appointment_id, link_id",
          "lease_owner = :worker, lease_until = :until");

  public Optional<CalendarWork> work(UUID appointmentId, UUID linkId) {
    return jdbc.sql("select * from calendar_event where appointment_id = :id and link_id = :link")
        .param("id", appointmentId)
        .param("link", linkId)
        .query(CalendarStore::workRow)
        .optional();
  }

  /** The appointment's rows, one per calendar it was planned for. */
  public List<CalendarWork> works(UUID appointmentId) {
    return jdbc.sql("select * from calendar_event where appointment_id = :id order by link_id")
        .param("id", appointmentId)
        .query(CalendarStore::workRow)
        .list();
  }

  /** Stores the join link the worker found (it appeared after the row was planned). */
  public boolean recordJoin(
      UUID appointmentId,
      UUID linkId,
      String worker,
      CalendarEvent.@Nullable Join join,
      String description) {
    return fenced(
        "update calendar_event set join_url = :url, join_instructions = :instructions,"
            + " description = :description, updated_at = :now",
        appointmentId,
        linkId,
        worker,
        q ->
            q.param("url", join == null ? null : join.url().toString())
                .param("instructions", join == null ? null : join.instructions())
                .param("description", truncate(description, 2000)));
  }

  /** Stores the event as the calendar has it after an upsert; clears a corrected drift. */
  public boolean recordPushed(UUID appointmentId, UUID linkId, String worker, ExternalEvent ext) {
    return fenced(
        "update calendar_event set external_id = :ext, etag = :etag, drift = null,"
            + " updated_at = :now",
        appointmentId,
        linkId,
        worker,
        q -> q.param("ext", ext.externalId()).param("etag", ext.etag()));
  }

  /** Notes that the event was removed (deleted or marked cancelled). */
  public boolean recordRemoved(UUID appointmentId, UUID linkId, String worker) {
    return fenced(
        "update calendar_event set etag = null, drift = null, updated_at = :now",
        appointmentId,
        linkId,
        worker,
        q -> q);
  }

  /**
   * Ends a worker's pass: the calendar is in step with version {@code syncedVersion} and check
   * {@code checkedSeq}. The row stays due if a newer version or check arrived meanwhile.
   */
  public boolean finish(
      UUID appointmentId, UUID linkId, String worker, long syncedVersion, long checkedSeq) {
    return fenced(
        "update calendar_event set synced_version = :v, checked_seq = :c,"
            + " state = case when wanted_version > :v or check_seq > :c then 'PENDING'"
            + " else 'SYNCED' end,"
            + " attempts = 0, last_error = null, next_attempt_at = :now,"
            + " lease_owner = null, lease_until = null, updated_at = :now",
        appointmentId,
        linkId,
        worker,
        q -> q.param("v", syncedVersion).param("c", checkedSeq));
  }

  /** Ends a worker's pass without success: the row waits in {@code state} until {@code retryAt}. */
  public boolean fail(
      UUID appointmentId,
      UUID linkId,
      String worker,
      CalendarWork.State state,
      Instant retryAt,
      String error) {
    return fenced(
        "update calendar_event set state = :state, next_attempt_at = :retry,"
            + " last_error = :error, attempts = attempts + 1,"
            + " lease_owner = null, lease_until = null, updated_at = :now",
        appointmentId,
        linkId,
        worker,
        q ->
            q.param("state", state.name())
                .param("retry", utc(retryAt))
                .param("error", truncate(error, MAX_TEXT)));
  }

  private static final RowClaims DUE_CHANNELS =
      new RowClaims(
          "calendar_link",
          List.of("id"),
          "status = 'ACTIVE'"
              + " and (channel_expires_at is null or channel_expires_at <= :renewBy"
              + " or old_channel_id is not null)"
              + " and (channel_due_at is null or channel_due_at <= :now)",
          "id",
          "channel_due_at = :until");

  // --- push channels ---------------------------------------------------------------------------

  /**
   * A push channel of a link: the id and the secret token to register with the vendor's watch call
   * (Google {@code events.watch}), who echoes both on every notification.
   */
  public record Channel(String id, String token) {
    @Override
    public String toString() {
      return "Channel[id=" + id + ", token=<redacted>]";
    }
  }

  /** What a notification's channel id and token name. */
  public enum ChannelCheck {
    /** No link has this channel. */
    UNKNOWN,
    /** The channel exists but the token is not its token. */
    FORGED,
    /** The channel and token are the link's. */
    VERIFIED
  }

  /**
   * Opens a new push channel for the link, replacing the previous one (whose notifications are
   * refused from now on: the new channel's first notification asks for a pull, so nothing is
   * missed). A previous channel Google confirmed ({@link #channelOpened}) is kept as the old
   * channel until {@link #oldChannelStopped}. Only the token's hash is stored; the token is
   * returned once.
   */
  public Channel openChannel(UUID linkId) {
    byte[] random = new byte[32];
    RANDOM.nextBytes(random);
    String token = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    String id = UUID.randomUUID().toString();
    int changed =
        jdbc.sql(
                "update calendar_link set"
                    + " old_channel_id = case when channel_resource_id is null"
                    + " then old_channel_id else channel_id end,"
                    + " old_channel_resource_id = case when channel_resource_id is null"
                    + " then old_channel_resource_id else channel_resource_id end,"
                    + " channel_id = :c, channel_token_hash = :h, channel_resource_id = null,"
                    + " channel_expires_at = null, updated_at = :now where id = :id")
            .param("c", id)
            .param("h", Sha256.hex(token))
            .param("now", utc(clock.instant()))
            .param("id", linkId)
            .update();
    if (changed != 1) {
      throw new IllegalArgumentException("no calendar link " + linkId);
    }
    return new Channel(id, token);
  }

  /**
   * Checks a notification's channel id and token (constant time) and, when they are a link's, asks
   * for a pull of it.
   */
  public ChannelCheck notifyChannel(String channelId, @Nullable String token) {
    Optional<Map.Entry<UUID, String>> row =
        jdbc.sql("select id, channel_token_hash from calendar_link where channel_id = :c")
            .param("c", channelId)
            .query(
                (rs, n) ->
                    Map.entry(rs.getObject("id", UUID.class), rs.getString("channel_token_hash")))
            .optional();
    if (row.isEmpty()) {
      return ChannelCheck.UNKNOWN;
    }
    byte[] expected = row.get().getValue().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] given =
        Sha256.hex(token == null ? "" : token).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    if (token == null || !java.security.MessageDigest.isEqual(expected, given)) {
      return ChannelCheck.FORGED;
    }
    requestPull(row.get().getKey());
    return ChannelCheck.VERIFIED;
  }

  /**
   * The vendor asked for the channel to be renewed or said it removed it (Microsoft Graph's
   * lifecycle notifications): the channel route opens a new one at its next pass.
   */
  public boolean channelNeedsRenewal(String channelId) {
    return jdbc.sql(
                "update calendar_link set channel_expires_at = :now, channel_due_at = null,"
                    + " updated_at = :now where channel_id = :c")
            .param("now", utc(clock.instant()))
            .param("c", channelId)
            .update()
        == 1;
  }

  /**
   * Records what Google answered to the watch of {@code channelId}; the link is not looked at again
   * before {@code nextCheckAt}. Ignored when the link opened another channel since.
   */
  public boolean channelOpened(
      UUID linkId, String channelId, String resourceId, Instant expiresAt, Instant nextCheckAt) {
    return jdbc.sql(
                "update calendar_link set channel_resource_id = :r, channel_expires_at = :exp,"
                    + " channel_due_at = :next, channel_attempts = 0, channel_error = null,"
                    + " updated_at = :now where id = :id and channel_id = :c")
            .param("r", truncate(resourceId, 256))
            .param("exp", utc(expiresAt))
            .param("next", utc(nextCheckAt))
            .param("now", utc(clock.instant()))
            .param("id", linkId)
            .param("c", channelId)
            .update()
        == 1;
  }

  /** The old channel {@code channelId} was stopped at Google (or was gone already). */
  public boolean oldChannelStopped(UUID linkId, String channelId) {
    return jdbc.sql(
                "update calendar_link set old_channel_id = null, old_channel_resource_id = null,"
                    + " updated_at = :now where id = :id and old_channel_id = :c")
            .param("now", utc(clock.instant()))
            .param("id", linkId)
            .param("c", channelId)
            .update()
        == 1;
  }

  /** Channel work failed: the link is looked at again at {@code retryAt}. */
  public boolean failChannel(UUID linkId, Instant retryAt, String error) {
    return jdbc.sql(
                "update calendar_link set channel_due_at = :retry,"
                    + " channel_attempts = channel_attempts + 1, channel_error = :error,"
                    + " updated_at = :now where id = :id")
            .param("retry", utc(retryAt))
            .param("error", truncate(error, MAX_TEXT))
            .param("now", utc(clock.instant()))
            .param("id", linkId)
            .update()
        == 1;
  }

  /**
   * Claims up to {@code limit} ACTIVE links whose push channel is missing, expires within {@code
   * renewalMargin}, or has an old channel left to stop, holding each for {@code lease} (safe from
   * several nodes: a link goes to one of them).
   */
  public List<ChannelWork> claimChannels(int limit, Duration renewalMargin, Duration lease) {
    Instant now = clock.instant();
    List<ChannelWork> claimed = new ArrayList<>();
    for (List<Object> key :
        DUE_CHANNELS.claim(
            jdbc,
            limit,
            Map.of(
                "until", utc(now.plus(lease)),
                "now", utc(now),
                "renewBy", utc(now.plus(renewalMargin))))) {
      Object id = key.get(0);
      channels(id instanceof UUID u ? u : UUID.fromString(String.valueOf(id)))
          .ifPresent(claimed::add);
    }
    return claimed;
  }

  /** The link with its current and old push channel, as the channel route sees it. */
  public Optional<ChannelWork> channels(UUID linkId) {
    return jdbc.sql("select * from calendar_link where id = :id")
        .param("id", linkId)
        .query(
            (rs, n) ->
                new ChannelWork(
                    linkRow(rs, n),
                    rs.getString("channel_id"),
                    rs.getString("channel_resource_id"),
                    nullableInstant(rs, "channel_expires_at"),
                    rs.getString("old_channel_id"),
                    rs.getString("old_channel_resource_id"),
                    rs.getInt("channel_attempts")))
        .optional();
  }

  /**
   * A link claimed for channel work: its current channel (the resource id and expiry are null until
   * Google confirmed it) and the old channel left to stop, if any.
   */
  public record ChannelWork(
      CalendarLink link,
      @Nullable String channelId,
      @Nullable String resourceId,
      @Nullable Instant expiresAt,
      @Nullable String oldChannelId,
      @Nullable String oldResourceId,
      int attempts) {

    /** Whether a new channel must be opened: none is confirmed, or it expires by {@code by}. */
    public boolean needsChannel(Instant by) {
      return resourceId == null || expiresAt == null || !expiresAt.isAfter(by);
    }
  }

  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  // --- pull ----------------------------------------------------------------------------------

  /**
   * Asks for a pull of the link now (a webhook said it changed). A pull already running when the
   * request arrives is followed by another one.
   */
  public boolean requestPull(UUID linkId) {
    return jdbc.sql(
                "update calendar_link set pull_seq = pull_seq + 1, updated_at = :now where id = :id")
            .param("now", utc(clock.instant()))
            .param("id", linkId)
            .update()
        == 1;
  }

  /**
   * Claims up to {@code limit} ACTIVE links whose pull is due and whose pull lease is free. Safe
   * from several nodes: a link goes to one of them.
   */
  public List<CalendarLink> claimPulls(int limit, String worker, Duration lease) {
    Instant now = clock.instant();
    List<CalendarLink> claimed = new ArrayList<>();
    for (List<Object> key :
        DUE_PULLS.claim(
            jdbc,
            limit,
            Map.of("worker", worker, "until", utc(now.plus(lease)), "now", utc(now)))) {
      linkById((UUID) key.get(0)).ifPresent(claimed::add);
    }
    return claimed;
  }

  private static final RowClaims DUE_PULLS =
      new RowClaims(
          "calendar_link",
          List.of("id"),
          "status = 'ACTIVE' and (next_pull_at <= :now or pull_seq > pulled_seq)"
              + " and (pull_lease_until is null or pull_lease_until < :now)",
          "next_pull_at, id",
          "pull_lease_owner = :worker, pull_lease_until = :until");

  /**
   * Applies one read of the link's changes, in one transaction with the cursor: busy blocks (all of
   * them replaced on a full sync, or added and freed), and the drift of our own events, which makes
   * their rows due for a push and is audited. Busy time is kept only for links that count as busy.
   *
   * @return the drifts found, or empty when the pull lease was no longer the worker's (nothing was
   *     written then)
   */
  public Optional<List<FoundDrift>> applyPull(UUID linkId, String worker, CalendarChanges changes) {
    Instant now = clock.instant();
    return tx.execute(
        s -> {
          int held =
              jdbc.sql(
                      "update calendar_link set sync_cursor = :cursor,"
                          + (changes.fullSync() ? " last_full_sync_at = :now," : "")
                          + " updated_at = :now where id = :id and pull_lease_owner = :worker")
                  .param("cursor", changes.nextCursor())
                  .param("now", utc(now))
                  .param("id", linkId)
                  .param("worker", worker)
                  .update();
          if (held != 1) {
            return Optional.<List<FoundDrift>>empty();
          }
          CalendarLink link = linkById(linkId).orElseThrow();
          if (changes.fullSync() || !link.countsBusy()) {
            jdbc.sql("delete from busy_block where link_id = :id").param("id", linkId).update();
          } else {
            for (String freed : changes.freed()) {
              deleteBlock(linkId, freed);
            }
          }
          if (link.countsBusy()) {
            for (BusyBlock b : changes.busy()) {
              deleteBlock(linkId, b.externalId());
              jdbc.sql(
                      "insert into busy_block (link_id, external_id, start_at, end_at, all_day,"
                          + " updated_at) values (:id, :ext, :start, :end, :allDay, :now)")
                  .param("id", linkId)
                  .param("ext", b.externalId())
                  .param("start", utc(b.start()))
                  .param("end", utc(b.end()))
                  .param("allDay", b.allDay())
                  .param("now", utc(now))
                  .update();
            }
          }
          List<FoundDrift> drifts = new ArrayList<>();
          List<OwnEvent> seen = new ArrayList<>(changes.ownEvents());
          // A vendor may report a deleted event by its id alone (Microsoft Graph's @removed):
          // when the id is one of ours, the owner deleted our event.
          Set<String> reported = new java.util.HashSet<>();
          for (OwnEvent e : changes.ownEvents()) {
            reported.add(e.externalId());
          }
          for (String freed : changes.freed()) {
            if (reported.contains(freed)) {
              continue;
            }
            jdbc.sql(
                    "select appointment_id from calendar_event where link_id = :id"
                        + " and external_id = :ext")
                .param("id", linkId)
                .param("ext", freed)
                .query((rs, n) -> rs.getObject("appointment_id", UUID.class))
                .list()
                .forEach(
                    appointment ->
                        seen.add(
                            new OwnEvent(
                                appointment,
                                freed,
                                java.util.OptionalLong.empty(),
                                true,
                                Optional.empty(),
                                Optional.empty())));
          }
          for (OwnEvent own : seen) {
            Optional<CalendarWork> row = work(own.appointmentId(), linkId);
            if (row.isEmpty()) {
              continue; // not planned here (another hub, or a row of a removed link): not ours
            }
            Optional<Drift> drift = Drift.of(row.get(), own);
            if (drift.isPresent() && markDrift(row.get(), drift.get(), now)) {
              drifts.add(new FoundDrift(own.appointmentId(), drift.get()));
              audit(
                  row.get(),
                  own.externalId(),
                  drift.get() == Drift.MOVED
                      ? CalendarAudit.Action.MOVED_BY_OWNER
                      : CalendarAudit.Action.DELETED_BY_OWNER,
                  drift.get() == Drift.MOVED
                      ? "moved to " + own.start().map(Instant::toString).orElse("?")
                      : "deleted in the calendar");
            }
          }
          return Optional.of(List.copyOf(drifts));
        });
  }

  /** A drift the pull found: the row is due for a push that puts the event back. */
  public record FoundDrift(UUID appointmentId, Drift drift) {}

  private boolean markDrift(CalendarWork row, Drift drift, Instant now) {
    return jdbc.sql(
                "update calendar_event set check_seq = check_seq + 1, drift = :drift,"
                    + " state = 'PENDING', next_attempt_at = :now, updated_at = :now"
                    + " where appointment_id = :id and link_id = :link and state = 'SYNCED'"
                    + " and drift is null")
            .param("drift", drift.name())
            .param("now", utc(now))
            .param("id", row.appointmentId())
            .param("link", row.linkId())
            .update()
        == 1;
  }

  private void deleteBlock(UUID linkId, String externalId) {
    jdbc.sql("delete from busy_block where link_id = :id and external_id = :ext")
        .param("id", linkId)
        .param("ext", externalId)
        .update();
  }

  /**
   * Ends a pull that covered the requests up to {@code pulledSeq} (the link's {@link
   * CalendarLink#pullSeq()} when claimed): the next one is due at {@code nextPullAt}, or at once
   * when a request arrived during the pull. Releases the pull lease.
   */
  public boolean finishPull(UUID linkId, String worker, long pulledSeq, Instant nextPullAt) {
    return jdbc.sql(
                "update calendar_link set next_pull_at = :next, pulled_seq = :seq,"
                    + " pull_attempts = 0, pull_error = null, pull_lease_owner = null,"
                    + " pull_lease_until = null, updated_at = :now"
                    + " where id = :id and pull_lease_owner = :worker")
            .param("seq", pulledSeq)
            .param("next", utc(nextPullAt))
            .param("now", utc(clock.instant()))
            .param("id", linkId)
            .param("worker", worker)
            .update()
        == 1;
  }

  /** Ends a pull that failed: the next one is due at {@code retryAt}. */
  public boolean failPull(UUID linkId, String worker, Instant retryAt, String error) {
    return jdbc.sql(
                "update calendar_link set next_pull_at = :retry, pulled_seq = pull_seq,"
                    + " pull_attempts = pull_attempts + 1,"
                    + " pull_error = :error, pull_lease_owner = null, pull_lease_until = null,"
                    + " updated_at = :now where id = :id and pull_lease_owner = :worker")
            .param("retry", utc(retryAt))
            .param("error", truncate(error, MAX_TEXT))
            .param("now", utc(clock.instant()))
            .param("id", linkId)
            .param("worker", worker)
            .update()
        == 1;
  }

  /** The link's busy blocks, by start. */
  public List<BusyBlock> busyBlocks(UUID linkId) {
    return jdbc.sql("select * from busy_block where link_id = :id order by start_at, external_id")
        .param("id", linkId)
        .query(CalendarStore::blockRow)
        .list();
  }

  /**
   * The provider's busy time overlapping [{@code from}, {@code to}) from their ACTIVE links that
   * count as busy, by start. (Blocks of a link that stopped working are not trusted.)
   */
  public List<BusyBlock> busyBetween(UUID providerId, Instant from, Instant to) {
    return jdbc.sql(
            "select b.* from busy_block b join calendar_link l on l.id = b.link_id"
                + " where l.provider_id = :provider and l.status = 'ACTIVE' and l.counts_busy = true"
                + " and b.start_at < :to and b.end_at > :from order by b.start_at, b.external_id")
        .param("provider", providerId)
        .param("from", utc(from))
        .param("to", utc(to))
        .query(CalendarStore::blockRow)
        .list();
  }

  // --- audit and metrics ---------------------------------------------------------------------

  public void audit(
      CalendarWork work,
      @Nullable String externalId,
      CalendarAudit.Action action,
      @Nullable String detail) {
    jdbc.sql(
            "insert into calendar_audit (practice_id, appointment_id, link_id, external_id,"
                + " action, detail, at) values (:practice, :appointment, :link, :ext, :action,"
                + " :detail, :at)")
        .param("practice", work.practiceId())
        .param("appointment", work.appointmentId())
        .param("link", work.linkId())
        .param("ext", externalId)
        .param("action", action.name())
        .param("detail", detail == null ? null : truncate(detail, MAX_TEXT))
        .param("at", utc(clock.instant()))
        .update();
  }

  /** The audit of one appointment's external events, oldest first. */
  public List<CalendarAudit> audits(UUID practiceId, UUID appointmentId) {
    return jdbc.sql(
            "select * from calendar_audit where practice_id = :p and appointment_id = :a"
                + " order by id")
        .param("p", practiceId)
        .param("a", appointmentId)
        .query(
            (rs, n) ->
                new CalendarAudit(
                    rs.getLong("id"),
                    rs.getObject("appointment_id", UUID.class),
                    rs.getObject("link_id", UUID.class),
                    rs.getString("external_id"),
                    CalendarAudit.Action.valueOf(rs.getString("action")),
                    rs.getString("detail"),
                    instant(rs, "at")))
        .list();
  }

  /** Counts of rows per state, for metrics. */
  public Map<CalendarWork.State, Long> countByState() {
    Map<CalendarWork.State, Long> counts = new EnumMap<>(CalendarWork.State.class);
    for (CalendarWork.State s : CalendarWork.State.values()) {
      counts.put(s, 0L);
    }
    jdbc.sql("select state, count(*) as n from calendar_event group by state")
        .query(
            rs -> {
              counts.put(CalendarWork.State.valueOf(rs.getString("state")), rs.getLong("n"));
            });
    return counts;
  }

  // --- plumbing ------------------------------------------------------------------------------

  private interface Params {
    JdbcClient.StatementSpec apply(JdbcClient.StatementSpec q);
  }

  private boolean fenced(
      String setClause, UUID appointmentId, UUID linkId, String worker, Params params) {
    JdbcClient.StatementSpec q =
        jdbc.sql(
                setClause
                    + " where appointment_id = :id and link_id = :link and lease_owner = :worker")
            .param("id", appointmentId)
            .param("link", linkId)
            .param("worker", worker)
            .param("now", utc(clock.instant()));
    return params.apply(q).update() == 1;
  }

  private static String truncate(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }

  private static CalendarLink linkRow(ResultSet rs, int n) throws SQLException {
    return new CalendarLink(
        rs.getObject("id", UUID.class),
        rs.getObject("practice_id", UUID.class),
        rs.getObject("provider_id", UUID.class),
        CalendarLink.Kind.valueOf(rs.getString("kind")),
        rs.getString("calendar_id"),
        rs.getBoolean("receives_sessions"),
        rs.getBoolean("counts_busy"),
        Removal.valueOf(rs.getString("removal")),
        CalendarLink.Status.valueOf(rs.getString("status")),
        rs.getString("status_reason"),
        rs.getString("sync_cursor"),
        nullableInstant(rs, "last_full_sync_at"),
        instant(rs, "next_pull_at"),
        rs.getLong("pull_seq"),
        rs.getInt("pull_attempts"));
  }

  private static BusyBlock blockRow(ResultSet rs, int n) throws SQLException {
    return new BusyBlock(
        rs.getString("external_id"),
        instant(rs, "start_at"),
        instant(rs, "end_at"),
        rs.getBoolean("all_day"));
  }

  private static CalendarWork workRow(ResultSet rs, int n) throws SQLException {
    String url = rs.getString("join_url");
    String instructions = rs.getString("join_instructions");
    String location = rs.getString("location");
    String drift = rs.getString("drift");
    CalendarEvent event =
        new CalendarEvent(
            rs.getObject("appointment_id", UUID.class),
            rs.getLong("wanted_version"),
            rs.getString("title"),
            rs.getString("description"),
            instant(rs, "start_at"),
            instant(rs, "end_at"),
            ZoneId.of(rs.getString("time_zone")),
            Optional.ofNullable(location),
            url == null
                ? Optional.empty()
                : Optional.of(
                    new CalendarEvent.Join(
                        URI.create(url), instructions == null ? "" : instructions)),
            CalendarEvent.Status.valueOf(rs.getString("event_status")));
    return new CalendarWork(
        rs.getObject("appointment_id", UUID.class),
        rs.getObject("link_id", UUID.class),
        rs.getObject("practice_id", UUID.class),
        rs.getObject("provider_id", UUID.class),
        rs.getLong("wanted_version"),
        rs.getBoolean("present"),
        Modality.valueOf(rs.getString("modality")),
        event,
        rs.getString("external_id"),
        rs.getString("etag"),
        rs.getLong("synced_version"),
        rs.getLong("check_seq"),
        rs.getLong("checked_seq"),
        drift == null ? null : Drift.valueOf(drift),
        CalendarWork.State.valueOf(rs.getString("state")),
        rs.getInt("attempts"),
        instant(rs, "next_attempt_at"),
        rs.getString("last_error"));
  }
}
