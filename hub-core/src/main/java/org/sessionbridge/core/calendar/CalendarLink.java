package org.sessionbridge.core.calendar;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.credential.Connection;

/**
 * A provider's linked external calendar: when {@code receivesSessions}, where their sessions are
 * pushed; when {@code countsBusy}, whose other events block their availability (at least one of the
 * two holds). Credentials are not part of it.
 *
 * @param calendarId the vendor's id of the calendar that receives sessions
 * @param removal what happens to the event of a cancelled appointment
 * @param statusReason why the link stopped working, for the practice to see
 * @param cursor where the next incremental read of changes starts; null before the first full sync
 * @param nextPullAt when the polling fallback pulls next
 * @param pullSeq raised by each pull request (a webhook); hand it back to {@link
 *     CalendarStore#finishPull}
 */
public record CalendarLink(
    UUID id,
    UUID practiceId,
    UUID providerId,
    Kind kind,
    String calendarId,
    boolean receivesSessions,
    boolean countsBusy,
    Removal removal,
    Status status,
    @Nullable String statusReason,
    @Nullable String cursor,
    @Nullable Instant lastFullSyncAt,
    Instant nextPullAt,
    long pullSeq,
    int pullAttempts) {

  /** The calendar's vendor. */
  public enum Kind {
    GOOGLE,
    MICROSOFT;

    /** The kind of the owner's tokens in the credential vault. */
    public Connection.Kind credentialKind() {
      return this == GOOGLE ? Connection.Kind.GOOGLE : Connection.Kind.MICROSOFT;
    }

    /**
     * The id of a provider's account of this kind ({@code google:<providerId>}, {@code
     * microsoft:<providerId>}), as {@link CalendarAccount#id()} reports it.
     */
    public String accountId(UUID providerId) {
      return prefix() + providerId;
    }

    /** The kind an account id of {@link #accountId} names (Google for any other id). */
    public static Kind ofAccount(String accountId) {
      return accountId.startsWith(MICROSOFT.prefix()) ? MICROSOFT : GOOGLE;
    }

    private String prefix() {
      return name().toLowerCase(java.util.Locale.ROOT) + ":";
    }
  }

  /** Whether the hub can use the link. */
  public enum Status {
    ACTIVE,
    /** The owner's consent was revoked or expired: work is parked until they authorise again. */
    NEEDS_REAUTHORIZATION,
    /** The calendar was deleted or unshared: work is parked until another is linked. */
    CALENDAR_GONE
  }

  /** The cursor is opaque vendor state; it says nothing personal but is not worth logging. */
  @Override
  public String toString() {
    return "CalendarLink[id="
        + id
        + ", provider="
        + providerId
        + ", kind="
        + kind
        + ", status="
        + status
        + "]";
  }
}
