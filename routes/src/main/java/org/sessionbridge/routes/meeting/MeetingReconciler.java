package org.sessionbridge.routes.meeting;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.meeting.MeetingAudit.Action;
import org.sessionbridge.core.meeting.MeetingReference;
import org.sessionbridge.core.meeting.MeetingSpec;
import org.sessionbridge.core.meeting.MeetingStore;
import org.sessionbridge.core.meeting.MeetingWork;
import org.sessionbridge.core.meeting.PlatformMeeting;
import org.sessionbridge.core.port.MeetingPlatform;
import org.sessionbridge.core.port.MeetingPlatformException;
import org.sessionbridge.core.practice.PracticeStore;
import org.sessionbridge.core.practice.Staff;
import org.sessionbridge.core.practice.VideoPlatform;
import org.sessionbridge.core.practice.VideoService;
import org.sessionbridge.routes.outbox.RetryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings one appointment's meeting in line with what its newest version wants, and keeps its
 * waiting room on. One pass per claimed row:
 *
 * <ol>
 *   <li>A meeting that no longer fits (cancelled, in person, other platform, other host) is
 *       deleted.
 *   <li>A wanted meeting that does not exist is created: first the intent is stored, then the
 *       create is sent. If an earlier intent is stored without its meeting (a lost answer, a crash
 *       mid-call) the host's upcoming meetings are searched for our reference first; the oldest
 *       match is adopted and any other is deleted as an orphan. So no path leaves two meetings.
 *   <li>The meeting is read back. A schedule that differs from the appointment is patched; a
 *       waiting room that is off (or join-before-host on) is put back and audited.
 * </ol>
 *
 * Failures never escape: they are stored on the row with when to try again. Rate limits and outages
 * back off (honouring the platform's Retry-After); a spent daily budget defers the row to when it
 * refills without counting a failure; a refused connection parks every row of the practice until it
 * is connected again; a refused request (unknown host) waits for a person.
 *
 * <p><b>Threading.</b> Called from several workers; each row is worked by one worker at a time
 * under a lease, and every write names the lease, so a worker that lost its lease changes nothing.
 */
public final class MeetingReconciler {

  private static final Logger log = LoggerFactory.getLogger(MeetingReconciler.class);

  /** A wanted meeting is made at most this often in one pass (one loss to the host, one retry). */
  private static final int MAX_CREATES_PER_PASS = 2;

  private final MeetingStore store;
  private final Map<VideoPlatform, MeetingPlatform> platforms;
  private final PracticeStore practices;
  private final MeetingEvents events;
  private final RetryPolicy retry;
  private final Clock clock;
  private final String worker;
  private final AtomicLong passes = new AtomicLong();
  private final AtomicLong creates = new AtomicLong();
  private final AtomicLong repairs = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();

  public MeetingReconciler(
      MeetingStore store,
      Map<VideoPlatform, MeetingPlatform> platforms,
      PracticeStore practices,
      MeetingEvents events,
      RetryPolicy retry,
      Clock clock,
      String worker) {
    this.store = store;
    this.platforms = Map.copyOf(platforms);
    this.practices = practices;
    this.events = events;
    this.retry = retry;
    this.clock = clock;
    this.worker = worker;
  }

  public String worker() {
    return worker;
  }

  /** Works one claimed row; never throws. */
  public void reconcile(MeetingWork claimed) {
    passes.incrementAndGet();
    Pass pass = new Pass(claimed);
    try {
      pass.run();
    } catch (LeaseLost e) {
      log.info(
          "meeting work for appointment {} moved to another worker; this pass stops",
          claimed.appointmentId());
    } catch (MeetingPlatformException.BudgetExhausted e) {
      pass.budgetSpent(e.resumeAt(), e.getMessage());
    } catch (MeetingPlatformException.Retryable e) {
      pass.retryLater(e.retryAfter().orElse(null), e.getMessage());
    } catch (MeetingPlatformException.NotAuthorized e) {
      pass.park(e.getMessage(), e.host().isEmpty());
    } catch (MeetingPlatformException.Rejected e) {
      pass.refused(e.getMessage());
    } catch (MeetingPlatformException.MeetingGone e) {
      pass.retryLater(null, e.getMessage());
    } catch (RuntimeException e) {
      // A bug or the database: keep the row and try again later; the type says enough.
      log.warn("meeting work for appointment {} failed", claimed.appointmentId(), e);
      pass.retryLater(null, e.getClass().getName());
    }
  }

  public long passCount() {
    return passes.get();
  }

  public long createCount() {
    return creates.get();
  }

  public long repairCount() {
    return repairs.get();
  }

  public long failureCount() {
    return failures.get();
  }

  /**
   * Deletes meetings that carry a reference of ours on {@code host} but are not the meeting the hub
   * records for that appointment (the twin of a create whose answer was lost, or a meeting of an
   * appointment that no longer wants one). Meetings whose create may still be in flight are left
   * alone. Returns how many were deleted.
   */
  public int reapOrphans(UUID practiceId, VideoPlatform platform, String host) {
    MeetingPlatform api = platforms.get(platform);
    if (api == null) {
      return 0;
    }
    int reaped = 0;
    for (PlatformMeeting m : api.findByReference(practiceId, host, "sb-")) {
      Optional<String> reference = MeetingReference.in(m.topic());
      if (reference.isEmpty()) {
        continue;
      }
      Optional<MeetingWork> row = store.byReference(reference.get());
      if (row.isEmpty() || !row.get().practiceId().equals(practiceId)) {
        continue; // not ours to judge: made by another hub or for another practice
      }
      MeetingWork w = row.get();
      boolean recorded = m.meetingId().equals(w.meetingId());
      boolean inFlight = w.createSentAt() != null;
      boolean leased = w.state() != MeetingWork.State.SYNCED;
      if (recorded || inFlight || leased) {
        continue;
      }
      if (api.delete(practiceId, m.meetingId())) {
        store.audit(w, platform, m.meetingId(), Action.ORPHAN_DELETED, "found by the sweep");
        reaped++;
      }
    }
    return reaped;
  }

  /** Thrown inside a pass when a write finds that the lease went to another worker. */
  private static final class LeaseLost extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LeaseLost() {
      super(null, null, false, false);
    }
  }

  /** One pass over one row; holds the row as last written. */
  private final class Pass {
    private MeetingWork w;

    /**
     * The version and check this pass works towards. Reloads may show newer ones planned during the
     * pass, but the platform was not brought in line with those: the row stays due for them.
     */
    private final long claimedVersion;

    private final long claimedCheck;

    /** The platform and host whose daily budget this pass last spent on. */
    private @Nullable VideoPlatform spentOn;

    private @Nullable String spentFor;

    Pass(MeetingWork claimed) {
      this.w = claimed;
      this.claimedVersion = claimed.wantedVersion();
      this.claimedCheck = claimed.checkSeq();
    }

    void run() {
      UUID id = w.appointmentId();
      String host = w.wanted() ? host() : null;
      if (w.meetingId() != null && !fits(host)) {
        deleteExisting(w.wanted() ? "the appointment moved to another platform or host" : null);
      }
      if (!w.wanted()) {
        if (w.createSentAt() != null && w.meetingPlatform() != null && w.meetingHost() != null) {
          // A create may have landed after all: find it and delete it.
          MeetingPlatform api = platform(w.meetingPlatform());
          for (PlatformMeeting m :
              api.findByReference(w.practiceId(), w.meetingHost(), w.reference())) {
            api.delete(w.practiceId(), m.meetingId());
            store.audit(w, w.meetingPlatform(), m.meetingId(), Action.ORPHAN_DELETED, null);
          }
          check(store.clearMeeting(id, worker));
        }
        finish();
        return;
      }
      Objects.requireNonNull(host);
      MeetingPlatform api = platform(w.platform());
      int createsLeft = MAX_CREATES_PER_PASS;
      while (true) {
        boolean justMade = false;
        if (w.meetingId() == null) {
          if (createsLeft-- == 0) {
            throw new MeetingPlatformException.Retryable(
                "the meeting disappeared again right after it was made", null, null);
          }
          justMade = ensureMeeting(api, host);
        }
        PlatformMeeting now;
        try {
          now = api.get(w.practiceId(), Objects.requireNonNull(w.meetingId()));
        } catch (MeetingPlatformException.MeetingGone e) {
          store.audit(
              w, w.platform(), w.meetingId(), Action.MEETING_LOST, "not found on read-back");
          check(store.clearMeeting(id, worker));
          reload();
          continue;
        }
        if (!justMade && !sameSchedule(now)) {
          spendBudget(api, host);
          api.update(w.practiceId(), now.meetingId(), w.spec());
          boolean movedByUs = w.syncedVersion() < w.wantedVersion();
          store.audit(
              w,
              w.platform(),
              now.meetingId(),
              movedByUs ? Action.UPDATED : Action.SCHEDULE_RESTORED,
              movedByUs ? "version " + w.wantedVersion() : "changed on the platform");
          now = api.get(w.practiceId(), now.meetingId());
        }
        if (!now.guarded()) {
          repairWaitingRoom(api, host, now);
        } else {
          check(store.recordWaitingRoom(id, worker, MeetingWork.WaitingRoom.ENFORCED));
        }
        if (!now.joinUrl().toString().equals(w.joinUrl())) {
          check(store.recordMeeting(id, worker, w.platform(), host, now));
          events.joinLinkChanged(reload());
        }
        finish();
        return;
      }
    }

    /**
     * Makes sure the row has a meeting: adopts one an earlier create left, or creates one.
     *
     * @return true if it was created now (from the current spec), false if an earlier one was
     *     adopted (its schedule may be older than the appointment's)
     */
    private boolean ensureMeeting(MeetingPlatform api, String host) {
      UUID id = w.appointmentId();
      VideoPlatform sentTo = w.meetingPlatform();
      String sentFor = w.meetingHost();
      if (w.createSentAt() != null && sentTo != null && sentFor != null) {
        // An earlier create may have landed: find it before making another.
        MeetingPlatform earlier = platform(sentTo);
        List<PlatformMeeting> found =
            earlier.findByReference(w.practiceId(), sentFor, w.reference());
        if (!found.isEmpty()) {
          PlatformMeeting keep = found.get(0);
          check(store.recordMeeting(id, worker, sentTo, sentFor, keep));
          store.audit(w, sentTo, keep.meetingId(), Action.ADOPTED, "made by an earlier try");
          for (PlatformMeeting extra : found.subList(1, found.size())) {
            earlier.delete(w.practiceId(), extra.meetingId());
            store.audit(w, sentTo, extra.meetingId(), Action.ORPHAN_DELETED, null);
          }
          reload();
          if (fits(host)) {
            events.joinLinkChanged(w);
            return false;
          }
          deleteExisting("the appointment moved to another platform or host");
        }
      }
      spendBudget(api, host);
      check(store.recordCreateSent(id, worker, w.platform(), host));
      PlatformMeeting made = api.create(w.practiceId(), host, w.spec());
      creates.incrementAndGet();
      log.info(
          "{} meeting {} created for appointment {} (version {})",
          w.platform(),
          made.meetingId(),
          id,
          w.wantedVersion());
      check(store.recordMeeting(id, worker, w.platform(), host, made));
      store.audit(
          w, w.platform(), made.meetingId(), Action.CREATED, "version " + w.wantedVersion());
      events.joinLinkChanged(reload());
      return true;
    }

    private void repairWaitingRoom(MeetingPlatform api, String host, PlatformMeeting now) {
      UUID id = w.appointmentId();
      check(store.recordWaitingRoom(id, worker, MeetingWork.WaitingRoom.DRIFTED));
      spendBudget(api, host);
      api.enforceWaitingRoom(w.practiceId(), now.meetingId());
      PlatformMeeting after = api.get(w.practiceId(), now.meetingId());
      String before =
          "waiting room was "
              + onOff(now.waitingRoom())
              + ", join before host "
              + onOff(now.joinBeforeHost());
      if (after.guarded()) {
        repairs.incrementAndGet();
        log.info(
            "{} meeting {} of appointment {}: {}; put back",
            w.platform(),
            now.meetingId(),
            id,
            before);
        store.audit(w, w.platform(), now.meetingId(), Action.WAITING_ROOM_REPAIRED, before);
        check(store.recordWaitingRoom(id, worker, MeetingWork.WaitingRoom.ENFORCED));
      } else {
        store.audit(w, w.platform(), now.meetingId(), Action.WAITING_ROOM_REFUSED, before);
        throw new MeetingPlatformException.Retryable(
            "the platform kept the waiting room off after the hub put it back", null, null);
      }
    }

    private void deleteExisting(@Nullable String why) {
      VideoPlatform where = Objects.requireNonNull(w.meetingPlatform());
      String meetingId = Objects.requireNonNull(w.meetingId());
      platform(where).delete(w.practiceId(), meetingId);
      store.audit(w, where, meetingId, Action.DELETED, why);
      check(store.clearMeeting(w.appointmentId(), worker));
      events.joinLinkChanged(reload());
    }

    private boolean fits(@Nullable String host) {
      return w.wanted()
          && w.meetingPlatform() == w.platform()
          && host != null
          && host.equals(w.meetingHost());
    }

    private boolean sameSchedule(PlatformMeeting m) {
      MeetingSpec spec = w.spec();
      return m.start().map(s -> s.equals(spec.start())).orElse(false)
          && m.durationMinutes() == spec.durationMinutes();
    }

    private void spendBudget(MeetingPlatform api, String host) {
      OptionalInt limit = api.dailyWritesPerHost();
      spentOn = api.platform();
      spentFor = host;
      if (limit.isPresent() && !store.takeBudget(api.platform(), host, limit.getAsInt())) {
        throw new MeetingPlatformException.BudgetExhausted(
            "the host's daily create/update budget on " + api.platform() + " is spent",
            nextUtcMidnight(),
            null);
      }
    }

    private String host() {
      Optional<VideoService> service =
          practices.videoServices(w.practiceId(), w.providerId()).stream()
              .filter(s -> s.platform() == w.platform())
              .findFirst();
      String account = service.map(VideoService::hostAccount).orElse(null);
      if (account != null && !account.isBlank()) {
        return account;
      }
      return practices
          .staff(w.practiceId(), w.providerId())
          .map(Staff::email)
          .filter(e -> !e.isBlank())
          .orElseThrow(
              () ->
                  new MeetingPlatformException.Rejected(
                      "the provider has no e-mail and no "
                          + w.platform()
                          + " host account; add hostAccount to their video service",
                      null));
    }

    private MeetingPlatform platform(VideoPlatform p) {
      MeetingPlatform api = platforms.get(p);
      if (api == null) {
        throw new MeetingPlatformException.NotAuthorized(
            "no connector for " + p + " is installed on this hub", null);
      }
      return api;
    }

    private MeetingWork reload() {
      w = store.work(w.appointmentId()).orElseThrow(LeaseLost::new);
      return w;
    }

    private void finish() {
      check(store.finish(w.appointmentId(), worker, claimedVersion, claimedCheck));
    }

    void budgetSpent(Instant resumeAt, @Nullable String message) {
      // The host the pass spent on: the row's meeting may be on another host, or not made yet.
      VideoPlatform platform = spentOn;
      String host = spentFor;
      if (platform != null && host != null) {
        platformLimit(platform).ifPresent(l -> store.exhaustBudget(platform, host, l));
      }
      store.fail(
          w.appointmentId(),
          worker,
          MeetingWork.State.DEFERRED,
          resumeAt,
          String.valueOf(message),
          false);
    }

    void retryLater(@Nullable Duration retryAfter, @Nullable String message) {
      failures.incrementAndGet();
      Duration backoff =
          retry.backoffAfter(w.attempts() + 1, ThreadLocalRandom.current()::nextDouble);
      Duration wait =
          retryAfter != null && retryAfter.compareTo(backoff) > 0 ? retryAfter : backoff;
      MeetingWork.State state =
          retryAfter != null && retryAfter.compareTo(Duration.ofMinutes(1)) > 0
              ? MeetingWork.State.DEFERRED
              : MeetingWork.State.PENDING;
      store.fail(
          w.appointmentId(),
          worker,
          state,
          clock.instant().plus(wait),
          String.valueOf(message),
          true);
    }

    void park(@Nullable String message, boolean wholeConnection) {
      failures.incrementAndGet();
      store.fail(
          w.appointmentId(),
          worker,
          MeetingWork.State.PARKED,
          clock.instant().plus(Duration.ofDays(3650)),
          String.valueOf(message),
          true);
      if (wholeConnection) {
        // The same refusal awaits every other row of the practice: park them, without a call,
        // and tell the practice. (A single host's own authorisation, such as a provider's
        // personal Zoom account, parks only its rows, each on its own refusal.)
        store.parkAll(w.practiceId(), w.platform(), String.valueOf(message));
        events.connectionRefused(w.practiceId(), w.platform(), String.valueOf(message));
      }
    }

    void refused(@Nullable String message) {
      failures.incrementAndGet();
      store.fail(
          w.appointmentId(),
          worker,
          MeetingWork.State.FAILED,
          clock.instant().plus(Duration.ofDays(3650)),
          String.valueOf(message),
          true);
    }
  }

  private OptionalInt platformLimit(VideoPlatform p) {
    MeetingPlatform api = platforms.get(p);
    return api == null ? OptionalInt.empty() : api.dailyWritesPerHost();
  }

  private Instant nextUtcMidnight() {
    return clock
        .instant()
        .atZone(java.time.ZoneOffset.UTC)
        .toLocalDate()
        .plusDays(1)
        .atStartOfDay(java.time.ZoneOffset.UTC)
        .toInstant();
  }

  private static String onOff(boolean on) {
    return on ? "on" : "off";
  }

  private static void check(boolean leaseHeld) {
    if (!leaseHeld) {
      throw new LeaseLost();
    }
  }
}
