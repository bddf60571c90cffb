package org.sessionbridge.core.appointment;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The sessions a feed lists, plus what is needed to date the moment the feed last lost a session.
 *
 * @param sessions sessions overlapping the window, cancelled ones only within the grace period
 * @param lastEndedBefore the latest end among the owner's sessions that ended before the window
 * @param lastCancelledBefore the latest cancellation older than the grace period
 */
public record FeedWindow(
    List<Appointment> sessions,
    @Nullable Instant lastEndedBefore,
    @Nullable Instant lastCancelledBefore) {

  public FeedWindow {
    sessions = List.copyOf(sessions);
  }
}
