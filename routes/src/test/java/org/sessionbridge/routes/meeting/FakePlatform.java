package org.sessionbridge.routes.meeting;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.sessionbridge.core.meeting.MeetingSpec;
import org.sessionbridge.core.meeting.PlatformMeeting;
import org.sessionbridge.core.port.MeetingPlatform;
import org.sessionbridge.core.port.MeetingPlatformException;
import org.sessionbridge.core.practice.VideoPlatform;

/**
 * An in-memory video platform for the meeting route's tests: meetings in a map under ids it hands
 * out, every call counted, and scripted trouble: failures for the next calls of an operation,
 * creates whose answer is lost after the meeting was made, searches that miss (an index that lags),
 * a platform that keeps the waiting room off, hooks that run inside the next create, and what a
 * host does in the platform's own app (waiting room off, meeting deleted or moved). Thread-safe.
 */
final class FakePlatform implements MeetingPlatform {

  enum Op {
    CREATE,
    FIND,
    GET,
    UPDATE,
    ENFORCE,
    DELETE
  }

  /** One meeting as the platform stores it. */
  static final class Meeting {
    final String id;
    final UUID practiceId;
    final String host;
    final String topic;
    final long seq;
    volatile Instant start;
    volatile long minutes;
    volatile boolean waitingRoom;
    volatile boolean joinBeforeHost;

    Meeting(String id, UUID practiceId, String host, String topic, long seq, MeetingSpec spec) {
      this.id = id;
      this.practiceId = practiceId;
      this.host = host;
      this.topic = topic;
      this.seq = seq;
      this.start = spec.start();
      this.minutes = spec.durationMinutes();
    }

    boolean guarded() {
      return waitingRoom && !joinBeforeHost;
    }

    PlatformMeeting view() {
      return new PlatformMeeting(
          id,
          URI.create("https://meet.example/j/" + id + "?pwd=secret"),
          topic,
          Optional.of(start),
          minutes,
          waitingRoom,
          joinBeforeHost);
    }
  }

  private final VideoPlatform platform;
  private final OptionalInt dailyLimit;
  private final Map<String, Meeting> meetings = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final Map<Op, AtomicInteger> calls = new EnumMap<>(Op.class);
  private final Map<Op, Queue<RuntimeException>> failures = new EnumMap<>(Op.class);
  private final Queue<Runnable> createHooks = new ConcurrentLinkedQueue<>();
  private final AtomicInteger lostCreateAnswers = new AtomicInteger();
  private final AtomicInteger searchMisses = new AtomicInteger();
  private volatile boolean keepsWaitingRoomOff;
  private final java.util.Set<String> creating = ConcurrentHashMap.newKeySet();
  private final List<String> overlaps = java.util.Collections.synchronizedList(new ArrayList<>());

  FakePlatform(VideoPlatform platform) {
    this(platform, OptionalInt.empty());
  }

  FakePlatform(VideoPlatform platform, OptionalInt dailyLimit) {
    this.platform = platform;
    this.dailyLimit = dailyLimit;
    for (Op op : Op.values()) {
      calls.put(op, new AtomicInteger());
      failures.put(op, new ConcurrentLinkedQueue<>());
    }
  }

  // --- scripting -----------------------------------------------------------------------------

  /** The next call of {@code op} throws {@code failure} (before doing anything). */
  FakePlatform failNext(Op op, MeetingPlatformException failure) {
    failures.get(op).add(failure);
    return this;
  }

  /** The next {@code n} creates make the meeting and then time out (the answer is lost). */
  FakePlatform loseNextCreateAnswers(int n) {
    lostCreateAnswers.addAndGet(n);
    return this;
  }

  /** The next {@code n} searches find nothing, as if the platform's index lagged. */
  FakePlatform missNextSearches(int n) {
    searchMisses.addAndGet(n);
    return this;
  }

  /** Runs {@code hook} inside the next create, before the meeting is made. */
  FakePlatform duringNextCreate(Runnable hook) {
    createHooks.add(hook);
    return this;
  }

  /** Whether the platform ignores requests to turn the waiting room on (an account policy). */
  void keepWaitingRoomOff(boolean keep) {
    keepsWaitingRoomOff = keep;
  }

  // --- what a host does in the platform's own app --------------------------------------------

  void hostTurnsWaitingRoomOff(String meetingId) {
    Meeting m = existing(meetingId);
    m.waitingRoom = false;
    m.joinBeforeHost = true;
  }

  void hostDeletes(String meetingId) {
    meetings.remove(meetingId);
  }

  void hostMoves(String meetingId, Instant start, Duration length) {
    Meeting m = existing(meetingId);
    m.start = start;
    m.minutes = length.toMinutes();
  }

  /** A meeting made on the platform by hand (or by another system) for {@code host}. */
  Meeting hostCreates(UUID practiceId, String host, MeetingSpec spec) {
    return store(practiceId, host, spec, true);
  }

  // --- what the test reads back --------------------------------------------------------------

  List<Meeting> meetings() {
    List<Meeting> all = new ArrayList<>(meetings.values());
    all.sort(Comparator.comparingLong(m -> m.seq));
    return all;
  }

  Meeting meeting(String meetingId) {
    return existing(meetingId);
  }

  int calls(Op op) {
    return calls.get(op).get();
  }

  /** References two creates were in flight for at the same time (two workers on one row). */
  List<String> overlappingCreates() {
    return List.copyOf(overlaps);
  }

  /** Meetings this platform ever made, deleted ones included. */
  long made() {
    return ids.get();
  }

  // --- MeetingPlatform -----------------------------------------------------------------------

  @Override
  public VideoPlatform platform() {
    return platform;
  }

  @Override
  public PlatformMeeting create(UUID practiceId, String host, MeetingSpec spec) {
    enter(Op.CREATE);
    Runnable hook = createHooks.poll();
    if (hook != null) {
      hook.run();
    }
    if (!spec.topic().contains(spec.reference())) {
      throw new MeetingPlatformException.Rejected("the topic does not carry the reference", null);
    }
    if (!creating.add(spec.reference())) {
      overlaps.add(spec.reference());
    }
    try {
      Meeting made = store(practiceId, host, spec, !keepsWaitingRoomOff);
      if (lostCreateAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new MeetingPlatformException.Retryable(
            "create on " + platform + ": read timed out", null, null);
      }
      return made.view();
    } finally {
      creating.remove(spec.reference());
    }
  }

  @Override
  public List<PlatformMeeting> findByReference(UUID practiceId, String host, String reference) {
    enter(Op.FIND);
    if (searchMisses.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return List.of();
    }
    return meetings().stream()
        .filter(m -> m.practiceId.equals(practiceId))
        .filter(m -> m.host.equals(host))
        .filter(m -> m.topic.contains(reference))
        .map(Meeting::view)
        .toList();
  }

  @Override
  public PlatformMeeting get(UUID practiceId, String meetingId) {
    enter(Op.GET);
    return of(practiceId, meetingId).view();
  }

  @Override
  public void update(UUID practiceId, String meetingId, MeetingSpec spec) {
    enter(Op.UPDATE);
    Meeting m = of(practiceId, meetingId);
    m.start = spec.start();
    m.minutes = spec.durationMinutes();
    guard(m);
  }

  @Override
  public void enforceWaitingRoom(UUID practiceId, String meetingId) {
    enter(Op.ENFORCE);
    guard(of(practiceId, meetingId));
  }

  @Override
  public boolean delete(UUID practiceId, String meetingId) {
    enter(Op.DELETE);
    Meeting m = meetings.get(meetingId);
    return m != null && m.practiceId.equals(practiceId) && meetings.remove(meetingId) != null;
  }

  @Override
  public OptionalInt dailyWritesPerHost() {
    return dailyLimit;
  }

  private void enter(Op op) {
    calls.get(op).incrementAndGet();
    RuntimeException failure = failures.get(op).poll();
    if (failure != null) {
      throw failure;
    }
  }

  private Meeting store(UUID practiceId, String host, MeetingSpec spec, boolean guarded) {
    long seq = ids.incrementAndGet();
    String id = platform.name().toLowerCase(java.util.Locale.ROOT) + "-" + seq;
    Meeting m = new Meeting(id, practiceId, host, spec.topic(), seq, spec);
    m.waitingRoom = guarded;
    m.joinBeforeHost = !guarded;
    meetings.put(id, m);
    return m;
  }

  private void guard(Meeting m) {
    if (!keepsWaitingRoomOff) {
      m.waitingRoom = true;
      m.joinBeforeHost = false;
    }
  }

  private Meeting of(UUID practiceId, String meetingId) {
    Meeting m = meetings.get(meetingId);
    if (m == null || !m.practiceId.equals(practiceId)) {
      throw new MeetingPlatformException.MeetingGone(
          platform + " meeting " + meetingId + ": 404 (3001)", null);
    }
    return m;
  }

  private Meeting existing(String meetingId) {
    Meeting m = meetings.get(meetingId);
    if (m == null) {
      throw new IllegalStateException("no meeting " + meetingId + " on " + platform);
    }
    return m;
  }
}
