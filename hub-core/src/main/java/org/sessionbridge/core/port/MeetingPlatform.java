package org.sessionbridge.core.port;

import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;
import org.sessionbridge.core.meeting.MeetingSpec;
import org.sessionbridge.core.meeting.PlatformMeeting;
import org.sessionbridge.core.practice.VideoPlatform;

/**
 * A video platform on which the hub creates and guards meetings (Zoom, Teams), through the
 * practice's connected account. Implemented by a connector; called only by the meeting route.
 *
 * <p><b>Idempotency.</b> Platforms such as Zoom have no idempotency key, so {@link #create} is not
 * idempotent: a timeout may hide a meeting that was created. Callers record their intent before
 * calling it and, on the next attempt, {@link #findByReference look the meeting up} by the
 * reference it carries. Implementations therefore must put {@link MeetingSpec#reference()} where
 * {@link #findByReference} can see it, and must never retry a create on their own.
 *
 * <p><b>Security.</b> Every create and update asks for the waiting room (lobby) on and
 * join-before-host off. The platform may still change settings, so the caller reads the meeting
 * back ({@link #get}) and trusts what it says.
 *
 * <p><b>Failures.</b> Every method throws only {@link MeetingPlatformException} subtypes. Short
 * waits the platform asks for (a second or two) may be spent inside the call; longer ones come back
 * as {@link MeetingPlatformException.Retryable} with the time to wait, so that no thread sleeps for
 * minutes.
 */
public interface MeetingPlatform {

  VideoPlatform platform();

  /**
   * Schedules a meeting for {@code host} with the waiting room on. Not idempotent.
   *
   * @param host the platform's user id or e-mail of the provider who hosts the session
   */
  PlatformMeeting create(UUID practiceId, String host, MeetingSpec spec);

  /**
   * Upcoming meetings of {@code host} that carry {@code reference}, oldest first; more than one
   * means an earlier attempt created a meeting whose answer was lost.
   */
  List<PlatformMeeting> findByReference(UUID practiceId, String host, String reference);

  /** The meeting as the platform has it now. */
  PlatformMeeting get(UUID practiceId, String meetingId);

  /** Moves or resizes the meeting and re-asserts the waiting room; read it back with get. */
  void update(UUID practiceId, String meetingId, MeetingSpec spec);

  /** Turns the waiting room back on and join-before-host off, changing nothing else. */
  void enforceWaitingRoom(UUID practiceId, String meetingId);

  /**
   * Deletes the meeting; a meeting that is already gone counts as deleted.
   *
   * @return {@code true} if this call deleted it, {@code false} if it was gone already
   */
  boolean delete(UUID practiceId, String meetingId);

  /**
   * How many creates and updates the platform allows per host and UTC day (Zoom: 100), if it limits
   * them; the caller keeps below it and defers the rest to the next day.
   */
  default OptionalInt dailyWritesPerHost() {
    return OptionalInt.empty();
  }
}
