package org.sessionbridge.ics;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One session as a calendar shows it. Everything here ends up in the bytes: callers pass only what
 * the audience may see.
 *
 * @param uid stable, opaque UID stored with the appointment (never generated at render time)
 * @param sequence 0 for the first version, raised on every change
 * @param lastModified the appointment's last change; becomes DTSTAMP and LAST-MODIFIED
 * @param start start instant (rendered in UTC)
 * @param end end instant (rendered in UTC)
 * @param cancelled renders STATUS:CANCELLED, TRANSP:TRANSPARENT and a "Cancelled: " summary prefix
 * @param summary short title, e.g. "Therapy session – J.D."
 * @param location in-person address; for telehealth the renderer writes the join link instead
 * @param join the video link for telehealth sessions, or null
 * @param notes extra DESCRIPTION lines after the join block (e.g. how to cancel), or null
 * @param alarmBefore a DISPLAY alarm this long before the start, or null for none
 */
public record IcsEvent(
    String uid,
    int sequence,
    Instant lastModified,
    Instant start,
    Instant end,
    boolean cancelled,
    String summary,
    @Nullable String location,
    @Nullable JoinLink join,
    @Nullable String notes,
    @Nullable Duration alarmBefore) {

  /**
   * A telehealth join link with the platform's wording.
   *
   * @param url the https link participants open
   * @param label short label, e.g. "Join video session"
   * @param vendor whose link it is; decides the vendor X-property (only for their own links)
   * @param instructions how to join, for this audience (client or provider wording), or null
   */
  public record JoinLink(String url, String label, Vendor vendor, @Nullable String instructions) {}

  /** Link owners that have a vendor-specific iCalendar property. */
  public enum Vendor {
    TEAMS,
    GOOGLE_MEET,
    OTHER
  }

  @Override
  public String toString() {
    return "IcsEvent[uid=" + uid + ", sequence=" + sequence + "]";
  }
}
