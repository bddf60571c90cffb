package org.sessionbridge.core.meeting;

import static org.sessionbridge.core.store.SqlTime.instant;
import static org.sessionbridge.core.store.SqlTime.nullableInstant;
import static org.sessionbridge.core.store.SqlTime.utc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.appointment.AppointmentChange;
import org.sessionbridge.core.appointment.AppointmentStatus;
import org.sessionbridge.core.appointment.Modality;
import org.sessionbridge.core.practice.VideoPlatform;
import org.sessionbridge.core.store.RowClaims;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The meetings the hub manages, one row per appointment, and the audit of what it did to them.
 *
 * <p><b>Wanted versus existing.</b> {@link #plan} (called by the outbox, inside its delivery
 * transaction, so exactly once per appointment version) records what the newest version wants. The
 * meeting route then {@link #claimDue claims} rows with work to do under a lease, calls the
 * platform, and records each step as it happens: {@link #recordCreateSent} <em>before</em> a create
 * is sent (so that after a crash or a lost answer the next attempt looks the meeting up instead of
 * creating a second one), {@link #recordMeeting} after. Every write of a worker names its lease and
 * does nothing once the lease has passed to another node.
 */
public final class MeetingStore {

  private static final int MAX_TEXT = 1000;

  private final JdbcClient jdbc;
  private final Clock clock;

  public MeetingStore(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /**
   * Records what {@code change} wants: a meeting on its platform when it is a booked telehealth
   * session on one of {@code managed}, none otherwise. Versions at or below the recorded one are
   * ignored (a replayed dead letter). Appointments that never had a managed platform get no row.
   * Call inside the outbox delivery transaction.
   *
   * @return whether the row changed
   */
  public boolean plan(AppointmentChange change, Set<VideoPlatform> managed) {
    VideoPlatform platform = change.videoPlatform();
    boolean wanted =
        change.modality() == Modality.TELEHEALTH
            && change.status() == AppointmentStatus.BOOKED
            && platform != null
            && managed.contains(platform);
    Instant now = clock.instant();
    int updated =
        jdbc.sql(
                "update meeting set wanted_version = :v, wanted = :wanted,"
                    + " platform = coalesce(cast(:platform as varchar(32)), platform), provider_id = :provider,"
                    + " start_at = :start, end_at = :end, time_zone = :zone,"
                    + " state = case when state = 'PARKED' then 'PARKED' else 'PENDING' end,"
                    + " attempts = 0, next_attempt_at = :now, updated_at = :now"
                    + " where appointment_id = :id and wanted_version < :v")
            .param("v", change.version())
            .param("wanted", wanted)
            .param("platform", wanted ? platform.name() : null)
            .param("provider", change.providerId())
            .param("start", utc(change.start()))
            .param("end", utc(change.end()))
            .param("zone", change.timeZone().getId())
            .param("now", utc(now))
            .param("id", change.appointmentId())
            .update();
    if (updated > 0 || !wanted) {
      return updated > 0;
    }
    boolean exists =
        jdbc.sql("select count(*) from meeting where appointment_id = :id")
                .param("id", change.appointmentId())
                .query(Long.class)
                .single()
            > 0;
    if (exists) {
      return false; // a newer version is recorded already
    }
    jdbc.sql(
            "insert into meeting (appointment_id, practice_id, reference, wanted_version, wanted,"
                + " platform, provider_id, start_at, end_at, time_zone, waiting_room,"
                + " synced_version, check_seq, checked_seq, state, attempts, next_attempt_at,"
                + " updated_at) values (:id, :practice, :ref, :v, true, :platform, :provider,"
                + " :start, :end, :zone, 'PENDING', 0, 0, 0, 'PENDING', 0, :now, :now)")
        .param("id", change.appointmentId())
        .param("practice", change.practiceId())
        .param("ref", MeetingReference.of(change.appointmentId()))
        .param("v", change.version())
        .param("platform", platform.name())
        .param("provider", change.providerId())
        .param("start", utc(change.start()))
        .param("end", utc(change.end()))
        .param("zone", change.timeZone().getId())
        .param("now", utc(now))
        .update();
    return true;
  }

  /**
   * Claims up to {@code limit} rows whose work is due and whose lease is free, for {@code lease}.
   * Safe from several nodes: a row goes to one of them.
   */
  public List<MeetingWork> claimDue(int limit, String worker, Duration lease) {
    Instant now = clock.instant();
    List<MeetingWork> claimed = new ArrayList<>();
    for (List<Object> key :
        DUE.claim(
            jdbc,
            limit,
            Map.of("worker", worker, "until", utc(now.plus(lease)), "now", utc(now)))) {
      work((UUID) key.get(0)).ifPresent(claimed::add);
    }
    return claimed;
  }

  private static final RowClaims DUE =
      new RowClaims(
          "meeting",
          List.of("appointment_id"),
          "state in ('PENDING', 'DEFERRED') and next_attempt_at <= :now"
              + " and (lease_until is null or lease_until < :now)",
          "next_attempt_at, appointment_id",
          "lease_owner = :worker, lease_until = :until");

  public Optional<MeetingWork> work(UUID appointmentId) {
    return jdbc.sql("select * from meeting where appointment_id = :id")
        .param("id", appointmentId)
        .query(MeetingStore::workRow)
        .optional();
  }

  /** The row holding the platform meeting {@code meetingId}, if the hub manages it. */
  public Optional<MeetingWork> byMeetingId(VideoPlatform platform, String meetingId) {
    return jdbc.sql(
            "select * from meeting where meeting_platform = :p and meeting_id = :m"
                + " order by updated_at desc limit 1")
        .param("p", platform.name())
        .param("m", meetingId)
        .query(MeetingStore::workRow)
        .optional();
  }

  /** The row of the appointment whose meetings carry {@code reference}. */
  public Optional<MeetingWork> byReference(String reference) {
    return jdbc.sql("select * from meeting where reference = :r")
        .param("r", reference)
        .query(MeetingStore::workRow)
        .optional();
  }

  /**
   * Notes, before the create call leaves, that a meeting for this row may come to exist on {@code
   * platform} for {@code host}. Commits on its own.
   *
   * @return false when the lease is no longer the worker's (stop: another node has the row)
   */
  public boolean recordCreateSent(UUID id, String worker, VideoPlatform platform, String host) {
    return fenced(
        "update meeting set create_sent_at = :now, meeting_platform = :p, meeting_host = :h,"
            + " updated_at = :now",
        id,
        worker,
        q -> q.param("p", platform.name()).param("h", host));
  }

  /** Stores the meeting that exists for the row (created or found again). */
  public boolean recordMeeting(
      UUID id, String worker, VideoPlatform platform, String host, PlatformMeeting meeting) {
    return fenced(
        "update meeting set meeting_platform = :p, meeting_host = :h, meeting_id = :m,"
            + " join_url = :url, create_sent_at = null, waiting_room = :wr, updated_at = :now",
        id,
        worker,
        q ->
            q.param("p", platform.name())
                .param("h", host)
                .param("m", meeting.meetingId())
                .param("url", meeting.joinUrl().toString())
                .param(
                    "wr",
                    meeting.guarded()
                        ? MeetingWork.WaitingRoom.ENFORCED.name()
                        : MeetingWork.WaitingRoom.DRIFTED.name()));
  }

  /** Forgets the row's meeting (deleted by us, or gone on the platform). */
  public boolean clearMeeting(UUID id, String worker) {
    return fenced(
        "update meeting set meeting_platform = null, meeting_host = null, meeting_id = null,"
            + " join_url = null, create_sent_at = null, waiting_room = 'PENDING', updated_at = :now",
        id,
        worker,
        q -> q);
  }

  public boolean recordWaitingRoom(UUID id, String worker, MeetingWork.WaitingRoom state) {
    return fenced(
        "update meeting set waiting_room = :wr, updated_at = :now",
        id,
        worker,
        q -> q.param("wr", state.name()));
  }

  /**
   * Ends a worker's pass: the row is in step with version {@code syncedVersion} and check {@code
   * checkedSeq}. It stays due if a newer version or check arrived meanwhile.
   */
  public boolean finish(UUID id, String worker, long syncedVersion, long checkedSeq) {
    return fenced(
        "update meeting set synced_version = :v, checked_seq = :c,"
            + " state = case when wanted_version > :v or check_seq > :c then 'PENDING'"
            + " else 'SYNCED' end,"
            + " attempts = 0, last_error = null, next_attempt_at = :now,"
            + " lease_owner = null, lease_until = null, updated_at = :now",
        id,
        worker,
        q -> q.param("v", syncedVersion).param("c", checkedSeq));
  }

  /**
   * Ends a worker's pass without success: the row waits in {@code state} until {@code retryAt}.
   * {@code countAttempt} is false for waits that are nobody's failure (a spent daily budget).
   */
  public boolean fail(
      UUID id,
      String worker,
      MeetingWork.State state,
      Instant retryAt,
      String error,
      boolean countAttempt) {
    return fenced(
        "update meeting set state = :state, next_attempt_at = :retry, last_error = :error,"
            + " attempts = attempts + :inc, lease_owner = null, lease_until = null,"
            + " updated_at = :now",
        id,
        worker,
        q ->
            q.param("state", state.name())
                .param("retry", utc(retryAt))
                .param("error", truncate(error))
                .param("inc", countAttempt ? 1 : 0));
  }

  /** Asks for the row's meeting to be read back and put right (a webhook, the sweep). */
  public boolean requestCheck(UUID id) {
    Instant now = clock.instant();
    return jdbc.sql(
                "update meeting set check_seq = check_seq + 1,"
                    + " state = case when state = 'SYNCED' then 'PENDING' else state end,"
                    + " next_attempt_at = case when state = 'SYNCED' then :now"
                    + " else next_attempt_at end, updated_at = :now"
                    + " where appointment_id = :id")
            .param("now", utc(now))
            .param("id", id)
            .update()
        == 1;
  }

  /**
   * Asks for a check of every synced meeting that has not ended and starts within {@code horizon}:
   * drift that arrived without a webhook is found this way. Returns how many were asked.
   */
  public int requestSweep(Duration horizon) {
    Instant now = clock.instant();
    return jdbc.sql(
            "update meeting set check_seq = check_seq + 1, state = 'PENDING',"
                + " next_attempt_at = :now, updated_at = :now"
                + " where state = 'SYNCED' and meeting_id is not null and end_at > :now"
                + " and start_at < :until")
        .param("now", utc(now))
        .param("until", utc(now.plus(horizon)))
        .update();
  }

  /**
   * Makes parked and refused rows of a practice due again (its connection was renewed, a provider
   * got a host account). Returns how many.
   */
  public int resume(UUID practiceId, VideoPlatform platform) {
    Instant now = clock.instant();
    return jdbc.sql(
            "update meeting set state = 'PENDING', next_attempt_at = :now, attempts = 0,"
                + " updated_at = :now where practice_id = :p"
                + " and (platform = :platform or meeting_platform = :platform)"
                + " and state in ('PARKED', 'FAILED', 'DEFERRED')")
        .param("now", utc(now))
        .param("p", practiceId)
        .param("platform", platform.name())
        .update();
  }

  /**
   * Parks every row of the practice on {@code platform} that waits for work: its connection was
   * refused, so calling again before the practice reconnects would only be refused again. Rows
   * leased to a worker are left to it (they park on their own refusal). Returns how many.
   */
  public int parkAll(UUID practiceId, VideoPlatform platform, String reason) {
    Instant now = clock.instant();
    return jdbc.sql(
            "update meeting set state = 'PARKED', last_error = :reason, updated_at = :now"
                + " where practice_id = :p and platform = :platform"
                + " and state in ('PENDING', 'DEFERRED')"
                + " and (lease_until is null or lease_until < :now)")
        .param("reason", truncate(reason))
        .param("now", utc(now))
        .param("p", practiceId)
        .param("platform", platform.name())
        .update();
  }

  /** (practice, host) pairs with upcoming meetings on {@code platform}: where orphans can live. */
  public List<HostAccount> hosts(VideoPlatform platform) {
    return jdbc.sql(
            "select distinct practice_id, meeting_host from meeting where meeting_platform = :p"
                + " and meeting_host is not null and end_at > :now")
        .param("p", platform.name())
        .param("now", utc(clock.instant()))
        .query(
            (rs, n) ->
                new HostAccount(
                    rs.getObject("practice_id", UUID.class), rs.getString("meeting_host")))
        .list();
  }

  /** A platform account that hosts a practice's meetings. */
  public record HostAccount(UUID practiceId, String host) {}

  /**
   * Takes one unit of the host's daily create/update budget on {@code platform} if fewer than
   * {@code limit} were used today (UTC). Runs outside any transaction (each statement commits).
   */
  public boolean takeBudget(VideoPlatform platform, String host, int limit) {
    LocalDate day = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    ensureBudgetRow(platform, host, day);
    return jdbc.sql(
                "update meeting_host_budget set used = used + 1 where platform = :p"
                    + " and host = :h and utc_day = :d and used < :limit")
            .param("p", platform.name())
            .param("h", host)
            .param("d", day)
            .param("limit", limit)
            .update()
        == 1;
  }

  /** Marks the host's budget for today spent (the platform said so before we counted it). */
  public void exhaustBudget(VideoPlatform platform, String host, int limit) {
    LocalDate day = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    ensureBudgetRow(platform, host, day);
    jdbc.sql(
            "update meeting_host_budget set used = :limit where platform = :p and host = :h"
                + " and utc_day = :d and used < :limit")
        .param("p", platform.name())
        .param("h", host)
        .param("d", day)
        .param("limit", limit)
        .update();
  }

  private void ensureBudgetRow(VideoPlatform platform, String host, LocalDate day) {
    try {
      jdbc.sql(
              "insert into meeting_host_budget (platform, host, utc_day, used) select :p, :h, :d, 0"
                  + " where not exists (select 1 from meeting_host_budget where platform = :p"
                  + " and host = :h and utc_day = :d)")
          .param("p", platform.name())
          .param("h", host)
          .param("d", day)
          .update();
    } catch (DuplicateKeyException e) {
      // another worker inserted it first
    }
  }

  /** How many creates/updates the hub sent for {@code host} today (UTC). */
  public int budgetUsed(VideoPlatform platform, String host) {
    LocalDate day = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    return jdbc.sql(
            "select coalesce(max(used), 0) from meeting_host_budget where platform = :p"
                + " and host = :h and utc_day = :d")
        .param("p", platform.name())
        .param("h", host)
        .param("d", day)
        .query(Integer.class)
        .single();
  }

  public void audit(
      MeetingWork work,
      VideoPlatform platform,
      @Nullable String meetingId,
      MeetingAudit.Action action,
      @Nullable String detail) {
    jdbc.sql(
            "insert into meeting_audit (practice_id, appointment_id, platform, meeting_id, action,"
                + " detail, at) values (:practice, :appointment, :platform, :meeting, :action,"
                + " :detail, :at)")
        .param("practice", work.practiceId())
        .param("appointment", work.appointmentId())
        .param("platform", platform.name())
        .param("meeting", meetingId)
        .param("action", action.name())
        .param("detail", detail == null ? null : truncate(detail))
        .param("at", utc(clock.instant()))
        .update();
  }

  /** The audit of one appointment's meetings, oldest first. */
  public List<MeetingAudit> audits(UUID practiceId, UUID appointmentId) {
    return jdbc.sql(
            "select * from meeting_audit where practice_id = :p and appointment_id = :a"
                + " order by id")
        .param("p", practiceId)
        .param("a", appointmentId)
        .query(
            (rs, n) ->
                new MeetingAudit(
                    rs.getLong("id"),
                    rs.getObject("appointment_id", UUID.class),
                    VideoPlatform.valueOf(rs.getString("platform")),
                    rs.getString("meeting_id"),
                    MeetingAudit.Action.valueOf(rs.getString("action")),
                    rs.getString("detail"),
                    instant(rs, "at")))
        .list();
  }

  /** Counts of rows per state, for metrics. */
  public java.util.Map<MeetingWork.State, Long> countByState() {
    java.util.Map<MeetingWork.State, Long> counts =
        new java.util.EnumMap<>(MeetingWork.State.class);
    for (MeetingWork.State s : MeetingWork.State.values()) {
      counts.put(s, 0L);
    }
    jdbc.sql("select state, count(*) as n from meeting group by state")
        .query(
            rs -> {
              counts.put(MeetingWork.State.valueOf(rs.getString("state")), rs.getLong("n"));
            });
    return counts;
  }

  /**
   * Remembers a webhook delivery by its digest; false if it was taken before (a replay). Commits on
   * its own.
   */
  public boolean firstReceipt(String source, String digest) {
    try {
      jdbc.sql(
              "insert into webhook_receipt (digest, source, received_at)" + " values (:d, :s, :at)")
          .param("d", digest)
          .param("s", source)
          .param("at", utc(clock.instant()))
          .update();
      return true;
    } catch (DuplicateKeyException e) {
      return false;
    }
  }

  /** Forgets receipts older than {@code age}, past the window in which a replay is refused. */
  public int purgeReceipts(Duration age) {
    return jdbc.sql("delete from webhook_receipt where received_at < :cutoff")
        .param("cutoff", utc(clock.instant().minus(age)))
        .update();
  }

  private interface Params {
    JdbcClient.StatementSpec apply(JdbcClient.StatementSpec q);
  }

  private boolean fenced(String setClause, UUID id, String worker, Params params) {
    JdbcClient.StatementSpec q =
        jdbc.sql(setClause + " where appointment_id = :id and lease_owner = :worker")
            .param("id", id)
            .param("worker", worker)
            .param("now", utc(clock.instant()));
    return params.apply(q).update() == 1;
  }

  private static String truncate(String text) {
    return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 1) + "…";
  }

  private static MeetingWork workRow(ResultSet rs, int n) throws SQLException {
    String meetingPlatform = rs.getString("meeting_platform");
    return new MeetingWork(
        rs.getObject("appointment_id", UUID.class),
        rs.getObject("practice_id", UUID.class),
        rs.getString("reference"),
        rs.getLong("wanted_version"),
        rs.getBoolean("wanted"),
        VideoPlatform.valueOf(rs.getString("platform")),
        rs.getObject("provider_id", UUID.class),
        instant(rs, "start_at"),
        instant(rs, "end_at"),
        ZoneId.of(rs.getString("time_zone")),
        meetingPlatform == null ? null : VideoPlatform.valueOf(meetingPlatform),
        rs.getString("meeting_host"),
        rs.getString("meeting_id"),
        rs.getString("join_url"),
        MeetingWork.WaitingRoom.valueOf(rs.getString("waiting_room")),
        nullableInstant(rs, "create_sent_at"),
        rs.getLong("synced_version"),
        rs.getLong("check_seq"),
        rs.getLong("checked_seq"),
        MeetingWork.State.valueOf(rs.getString("state")),
        rs.getInt("attempts"),
        instant(rs, "next_attempt_at"),
        rs.getString("last_error"));
  }
}
