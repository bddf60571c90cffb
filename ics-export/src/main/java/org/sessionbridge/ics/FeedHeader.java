package org.sessionbridge.ics;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/**
 * Calendar-level properties of a subscription feed.
 *
 * @param name NAME and X-WR-CALNAME, e.g. "Harbor Counseling – sessions"
 * @param calendarUid RFC 7986 calendar UID, stable per feed
 * @param lastModified newest change among the events (RFC 7986 LAST-MODIFIED)
 * @param timeZoneHint X-WR-TIMEZONE (a hint only: every event time is UTC)
 * @param refreshInterval REFRESH-INTERVAL and X-PUBLISHED-TTL
 */
public record FeedHeader(
    String name,
    String calendarUid,
    Instant lastModified,
    ZoneId timeZoneHint,
    Duration refreshInterval) {}
