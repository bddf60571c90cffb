package org.sessionbridge.ics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.ComponentList;
import net.fortuna.ical4j.model.Parameter;
import net.fortuna.ical4j.model.ParameterList;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.PropertyList;
import net.fortuna.ical4j.model.component.VAlarm;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.parameter.Feature;
import net.fortuna.ical4j.model.parameter.Label;
import net.fortuna.ical4j.model.parameter.Related;
import net.fortuna.ical4j.model.parameter.Value;
import net.fortuna.ical4j.model.property.Conference;
import net.fortuna.ical4j.model.property.Description;
import net.fortuna.ical4j.model.property.DtEnd;
import net.fortuna.ical4j.model.property.DtStamp;
import net.fortuna.ical4j.model.property.DtStart;
import net.fortuna.ical4j.model.property.LastModified;
import net.fortuna.ical4j.model.property.Location;
import net.fortuna.ical4j.model.property.Sequence;
import net.fortuna.ical4j.model.property.Summary;
import net.fortuna.ical4j.model.property.Trigger;
import net.fortuna.ical4j.model.property.Uid;
import net.fortuna.ical4j.model.property.Url;
import net.fortuna.ical4j.model.property.XProperty;
import net.fortuna.ical4j.model.property.immutable.ImmutableAction;
import net.fortuna.ical4j.model.property.immutable.ImmutableClazz;
import net.fortuna.ical4j.model.property.immutable.ImmutableStatus;
import net.fortuna.ical4j.model.property.immutable.ImmutableTransp;
import org.jspecify.annotations.Nullable;

/**
 * One {@link IcsEvent} as an iCal4j VEVENT, shared by feeds and invitations so both place the join
 * link the same way (checklist E1–E3).
 *
 * <p>Every date is an {@link Instant}, so iCal4j writes UTC ({@code ...Z}) with no TZID and no
 * VTIMEZONE (B2), which also skips its per-property time-zone registry lookup (§6 root cause 1).
 * The VEVENT is built from a property list, never with {@code new VEvent()}, which would stamp
 * DTSTAMP with the current time (A5).
 */
final class EventComponent {

  static final String CANCELLED_PREFIX = "Cancelled: ";
  static final String JOIN_PREFIX = "Join: ";
  static final String DEFAULT_LABEL = "Join video session";
  static final String TEAMS_URL = "X-MICROSOFT-SKYPETEAMSMEETINGURL";
  static final String GOOGLE_CONFERENCE = "X-GOOGLE-CONFERENCE";

  /** Touches every property, parameter and formatter a session uses (see {@link #warmUp}). */
  private static IcsEvent sample() {
    return new IcsEvent(
        "warm-up",
        1,
        Instant.EPOCH,
        Instant.EPOCH,
        Instant.EPOCH.plusSeconds(3000),
        false,
        "Warm-up – é",
        null,
        new IcsEvent.JoinLink(
            "https://teams.microsoft.com/l/meetup-join/x", "Join", IcsEvent.Vendor.TEAMS, "a;b"),
        "c,d",
        Duration.ofMinutes(15));
  }

  private EventComponent() {}

  /**
   * Renders a sample session once. The first render in a JVM loads and links iCal4j's property,
   * parameter, codec and date-format classes (about 170 ms measured); renderers call this when they
   * are built, at startup, so that the first subscriber poll does not pay for it.
   */
  static void warmUp(List<Property> participants) {
    IcsEvent sample = sample();
    Folding.fold(contentLines(of(sample, Instant.EPOCH, participants)));
    // Record equals/hashCode bootstrap through invokedynamic on first use (about 20 ms): the cache
    // key calls both.
    if (sample.hashCode() != sample().hashCode() || !sample.equals(sample())) {
      throw new IllegalStateException("IcsEvent lost its value equality");
    }
  }

  /**
   * Builds the VEVENT.
   *
   * @param event the session
   * @param dtStamp DTSTAMP: the event's last change for feeds, the send time for invitations
   * @param participants ORGANIZER and ATTENDEE properties (invitations only), placed after CLASS
   */
  static VEvent of(IcsEvent event, Instant dtStamp, List<Property> participants) {
    check(event);
    String summary = IcsText.text(event.summary());
    if (event.cancelled()) {
      summary = CANCELLED_PREFIX + summary;
    }
    var props = new ArrayList<Property>(20 + participants.size());
    props.add(new Uid(IcsText.text(event.uid())));
    props.add(new DtStamp(dtStamp));
    props.add(new LastModified(event.lastModified()));
    props.add(new Sequence(event.sequence()));
    props.add(new DtStart<>(event.start()));
    props.add(new DtEnd<>(event.end()));
    props.add(new Summary(summary));
    if (event.cancelled()) {
      props.add(ImmutableStatus.VEVENT_CANCELLED);
      // Consumers that ignore STATUS (calcom/cal.diy#28743) at least stop counting it as busy.
      props.add(ImmutableTransp.TRANSPARENT);
    } else {
      props.add(ImmutableStatus.VEVENT_CONFIRMED);
    }
    props.add(ImmutableClazz.PRIVATE);
    props.addAll(participants);

    IcsEvent.JoinLink join = event.join();
    String notes = blankToNull(event.notes());
    if (join != null) {
      var uri = IcsText.link(join.url(), event.uid());
      String url = uri.toString();
      String rawLabel = join.label().isBlank() ? DEFAULT_LABEL : join.label();
      String label = IcsText.text(rawLabel);
      // LOCATION short and first-screen (E2, frappe/suite#736): "<label>: <url>".
      props.add(new Location(label + ": " + url));
      props.add(new Url(uri));
      // One FEATURE value: iCal4j quotes "AUDIO,VIDEO" and python-icalendar reads it as one (E1).
      var conferenceParams =
          List.<Parameter>of(Value.URI, Feature.VIDEO, new Label(IcsText.param(rawLabel)));
      props.add(new Conference(new ParameterList(conferenceParams), url));
      switch (join.vendor()) {
        case TEAMS -> props.add(new XProperty(TEAMS_URL, url));
        case GOOGLE_MEET -> props.add(new XProperty(GOOGLE_CONFERENCE, url));
        case OTHER -> {
          // no vendor property: X-MICROSOFT-ONLINEMEETINGCONFLINK is a conf:sip: address (E3)
        }
      }
      var description = new StringBuilder(JOIN_PREFIX).append(url);
      String instructions = blankToNull(join.instructions());
      if (instructions != null) {
        description.append("\n\n").append(IcsText.text(instructions));
      }
      if (notes != null) {
        description.append("\n\n").append(IcsText.text(notes));
      }
      props.add(new Description(description.toString()));
    } else {
      String location = blankToNull(event.location());
      if (location != null) {
        props.add(new Location(IcsText.text(location)));
      }
      if (notes != null) {
        props.add(new Description(IcsText.text(notes)));
      }
    }

    Duration before = event.alarmBefore();
    // No reminder for a cancelled session: Apple and Fastmail keep showing it struck through (F),
    // and a pop-up 15 minutes before could still send a client to the waiting room.
    if (before == null || event.cancelled()) {
      return new VEvent(new PropertyList(props));
    }
    var alarm =
        new VAlarm(
            new PropertyList(
                List.of(
                    ImmutableAction.DISPLAY,
                    new Description(summary),
                    new Trigger(new ParameterList(List.of(Related.START)), before.negated()))));
    return new VEvent(new PropertyList(props), new ComponentList<>(List.of(alarm)));
  }

  /**
   * The VEVENT's unfolded content lines, one String per property, exactly as {@code
   * VEvent.toString()} writes them but without joining them into one String first.
   */
  static List<String> contentLines(VEvent event) {
    var lines = new ArrayList<String>(32);
    lines.add("BEGIN:VEVENT\r\n");
    addProperties(event, lines);
    for (VAlarm alarm : event.getAlarms()) {
      lines.add("BEGIN:VALARM\r\n");
      addProperties(alarm, lines);
      lines.add("END:VALARM\r\n");
    }
    lines.add("END:VEVENT\r\n");
    return lines;
  }

  private static void addProperties(Component component, List<String> lines) {
    for (Property property : component.getPropertyList().getAll()) {
      lines.add(property.toString());
    }
  }

  private static void check(IcsEvent event) {
    if (event.uid().isBlank()) {
      throw new IllegalArgumentException("an event has a blank UID (it must be stored, opaque)");
    }
    if (event.sequence() < 0) {
      throw new IllegalArgumentException(
          "SEQUENCE of event " + event.uid() + " is negative: " + event.sequence());
    }
    if (event.end().isBefore(event.start())) {
      throw new IllegalArgumentException("event " + event.uid() + " ends before it starts");
    }
    Duration before = event.alarmBefore();
    if (before != null && before.isNegative()) {
      throw new IllegalArgumentException(
          "alarmBefore of event " + event.uid() + " is negative: " + before);
    }
  }

  private static @Nullable String blankToNull(@Nullable String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
