package org.sessionbridge.core.notification;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One message the hub owes one participant of one appointment: what for ({@link Purpose}), how
 * ({@link Channel}), when ({@code dueAt}) and what became of it ({@link State}). The row holds ids
 * and times only; names, addresses and text are rendered when it is sent.
 *
 * @param appointmentVersion the appointment version the row was planned or last re-timed for
 * @param sessionStart the session start it was planned for
 * @param attempts sends begun (each recorded before the send)
 */
public record Notification(
    UUID id,
    UUID practiceId,
    UUID appointmentId,
    RecipientKind recipientKind,
    UUID recipientId,
    Purpose purpose,
    Channel channel,
    long appointmentVersion,
    Instant sessionStart,
    Instant dueAt,
    State state,
    int attempts,
    @Nullable Instant attemptedAt,
    @Nullable String leaseOwner,
    @Nullable Instant leaseUntil,
    @Nullable String lastError,
    @Nullable Instant sentAt,
    Instant createdAt) {

  /** Who receives it. */
  public enum RecipientKind {
    CLIENT,
    PROVIDER
  }

  /** Why it is sent. */
  public enum Purpose {
    CONFIRMATION,
    RESCHEDULED,
    CANCELLED,
    REMINDER
  }

  /** How it is sent. */
  public enum Channel {
    EMAIL,
    SMS
  }

  /**
   * PENDING waits for its due time (or a retry); the others are final: SENT, SKIPPED (nothing to
   * send any more: the session started, no phone, SMS turned off), FAILED (refused for good, or out
   * of attempts), SUPERSEDED (a newer version of the appointment replaced it).
   */
  public enum State {
    PENDING,
    SENT,
    SKIPPED,
    FAILED,
    SUPERSEDED
  }

  /** Whether a worker holds it at {@code now}. */
  public boolean leasedAt(Instant now) {
    return leaseUntil != null && !leaseUntil.isBefore(now);
  }
}
