package org.sessionbridge.ics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.ComponentList;
import net.fortuna.ical4j.model.ParameterList;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.PropertyList;
import net.fortuna.ical4j.model.TemporalAmountAdapter;
import net.fortuna.ical4j.model.component.CalendarComponent;
import net.fortuna.ical4j.model.parameter.Value;
import net.fortuna.ical4j.model.property.LastModified;
import net.fortuna.ical4j.model.property.Name;
import net.fortuna.ical4j.model.property.ProdId;
import net.fortuna.ical4j.model.property.RefreshInterval;
import net.fortuna.ical4j.model.property.XProperty;
import net.fortuna.ical4j.model.property.immutable.ImmutableCalScale;
import net.fortuna.ical4j.model.property.immutable.ImmutableVersion;
import org.jspecify.annotations.Nullable;

/**
 * Renders a subscription feed (webcal/https): one VCALENDAR snapshot, UTF-8, CRLF, folded at 75
 * octets, byte-identical for identical input so that {@code ETag = hash(body)} is meaningful.
 *
 * <p>There is no METHOD (a pure snapshot, RFC 5545 §3.7.2) and no SOURCE or URL at calendar level,
 * because they would repeat the secret feed URL inside every downloaded copy (checklist D, J2).
 * Every time is UTC; DTSTAMP and LAST-MODIFIED are the event's own last change, never "now".
 *
 * <p>Thread-safe; create one and keep it. It keeps a bounded cache of each event's finished, folded
 * bytes keyed by the whole {@link IcsEvent} record, so a poll of a feed whose events did not change
 * is assembled from cached bytes without touching iCal4j. {@code new FeedRenderer(0)} renders every
 * event from scratch.
 */
public final class FeedRenderer {

  /**
   * Cached events by default: about 0.9 KB of bytes plus the key record each, so some 20–30 MB at
   * most; a practice's whole window (providers × sessions) should fit.
   */
  public static final int DEFAULT_CACHED_EVENTS = 20_000;

  static final String PRODID = "-//SessionBridge//SessionBridge Hub//EN";

  private static final byte[] BEGIN = "BEGIN:VCALENDAR\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "END:VCALENDAR\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final List<Property> NO_PARTICIPANTS = List.of();

  private static final FeedHeader WARM_UP_HEADER =
      new FeedHeader("Warm-up", "warm-up", Instant.EPOCH, ZoneOffset.UTC, Duration.ofHours(1));

  private final @Nullable EventCache cache;

  /** A renderer caching up to {@link #DEFAULT_CACHED_EVENTS} rendered events. */
  public FeedRenderer() {
    this(DEFAULT_CACHED_EVENTS);
  }

  /**
   * A renderer caching up to {@code cachedEvents} rendered events.
   *
   * @param cachedEvents cache capacity in events; 0 turns the cache off
   */
  public FeedRenderer(int cachedEvents) {
    if (cachedEvents < 0) {
      throw new IllegalArgumentException("cachedEvents must be 0 (off) or more: " + cachedEvents);
    }
    this.cache = cachedEvents == 0 ? null : new EventCache(cachedEvents);
    // Load iCal4j before the first poll (about 170 ms in a fresh JVM), not during it.
    EventComponent.warmUp(NO_PARTICIPANTS);
    Folding.fold(new PropertyList(headerProperties(WARM_UP_HEADER)).toString());
  }

  /**
   * Renders the feed.
   *
   * @param header calendar-level properties
   * @param events the sessions in the feed's window, in the order they should appear; UIDs must be
   *     unique (a repeated UID makes Radicale answer 400 and vdirsyncer merge events, checklist A3)
   * @return the complete VCALENDAR as UTF-8 bytes
   * @throws IllegalArgumentException naming the event's UID when an event cannot be rendered
   *     faithfully (duplicate or blank UID, end before start, a join link that is not https)
   */
  public byte[] render(FeedHeader header, List<IcsEvent> events) {
    byte[] head = Folding.fold(new PropertyList(headerProperties(header)).toString());
    byte[][] parts = new byte[events.size()][];
    int total = BEGIN.length + head.length + END.length;
    var uids = new HashSet<String>(events.size() * 2);
    long tick = cache == null ? 0 : cache.tick();
    for (int i = 0; i < parts.length; i++) {
      IcsEvent event = events.get(i);
      if (!uids.add(event.uid())) {
        throw new IllegalArgumentException("UID " + event.uid() + " appears twice in the feed");
      }
      parts[i] = eventBytes(event, tick);
      total += parts[i].length;
    }
    byte[] out = new byte[total];
    int pos = append(out, 0, BEGIN);
    pos = append(out, pos, head);
    for (byte[] part : parts) {
      pos = append(out, pos, part);
    }
    append(out, pos, END);
    return out;
  }

  /** Events currently cached (for tests and metrics). */
  int cachedEvents() {
    return cache == null ? 0 : cache.size();
  }

  /**
   * The same feed as an iCal4j model. {@link #render} never builds it (iCal4j would serialise the
   * whole calendar as one String and fold it by UTF-16 chars); tests compare the two.
   */
  static Calendar model(FeedHeader header, List<IcsEvent> events) {
    var components = new ArrayList<CalendarComponent>(events.size());
    for (IcsEvent event : events) {
      components.add(EventComponent.of(event, event.lastModified(), NO_PARTICIPANTS));
    }
    return new Calendar(
        new PropertyList(headerProperties(header)), new ComponentList<>(components));
  }

  private byte[] eventBytes(IcsEvent event, long tick) {
    if (cache != null) {
      byte[] cached = cache.get(event, tick);
      if (cached != null) {
        return cached;
      }
    }
    // Feeds carry no METHOD, so DTSTAMP is the last revision (RFC 5545 §3.8.7.2): lastModified.
    byte[] bytes =
        Folding.fold(
            EventComponent.contentLines(
                EventComponent.of(event, event.lastModified(), NO_PARTICIPANTS)));
    if (cache != null) {
      cache.put(event, bytes, tick);
    }
    return bytes;
  }

  private static List<Property> headerProperties(FeedHeader header) {
    Duration refresh = header.refreshInterval();
    if (refresh.isNegative() || refresh.isZero()) {
      throw new IllegalArgumentException(
          "refreshInterval of feed " + header.calendarUid() + " must be positive: " + refresh);
    }
    String name = IcsText.text(header.name());
    String ttl = new TemporalAmountAdapter(refresh).toString();
    return List.of(
        ImmutableVersion.VERSION_2_0,
        new ProdId(PRODID),
        ImmutableCalScale.GREGORIAN,
        // RFC 7986 NAME is the standard; X-WR-CALNAME is what Outlook, Google and Apple read (D).
        new Name(name),
        new XProperty("X-WR-CALNAME", name),
        // No calendar-level UID (RFC 7986 §5.3, checklist A6): vdirsyncer 0.19's http storage,
        // which the issue requires to sync every event, then takes the whole feed for one item.
        new LastModified(header.lastModified()),
        new RefreshInterval(new ParameterList(List.of(Value.DURATION)), refresh),
        new XProperty("X-PUBLISHED-TTL", ttl),
        // A hint only (B5): every time in the feed is UTC.
        new XProperty("X-WR-TIMEZONE", header.timeZoneHint().getId()));
  }

  private static int append(byte[] out, int pos, byte[] part) {
    System.arraycopy(part, 0, out, pos, part.length);
    return pos + part.length;
  }
}
