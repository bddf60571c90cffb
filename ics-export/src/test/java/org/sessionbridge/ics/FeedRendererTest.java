package org.sessionbridge.ics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sessionbridge.ics.Sessions.CHANGED;
import static org.sessionbridge.ics.Sessions.HOSTILE;
import static org.sessionbridge.ics.Sessions.HOSTILE_AS_TEXT;
import static org.sessionbridge.ics.Sessions.header;
import static org.sessionbridge.ics.Sessions.inPerson;
import static org.sessionbridge.ics.Sessions.telehealth;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import net.fortuna.ical4j.data.CalendarOutputter;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VAlarm;
import net.fortuna.ical4j.model.component.VEvent;
import org.junit.jupiter.api.Test;
import org.sessionbridge.ics.IcsEvent.JoinLink;
import org.sessionbridge.ics.IcsEvent.Vendor;

class FeedRendererTest {

  private final FeedRenderer renderer = new FeedRenderer();

  @Test
  void writesASnapshotCalendarHeaderWithoutMethodOrTheSecretUrl() {
    List<String> lines = Wire.unfold(renderer.render(header(), List.of()));

    assertThat(lines)
        .containsExactly(
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//SessionBridge//SessionBridge Hub//EN",
            "CALSCALE:GREGORIAN",
            "NAME:Harbor Counseling – sessions",
            "X-WR-CALNAME:Harbor Counseling – sessions",
            "LAST-MODIFIED:20260220T140327Z",
            "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
            "X-PUBLISHED-TTL:PT1H",
            "X-WR-TIMEZONE:America/New_York",
            "END:VCALENDAR");
  }

  @Test
  void rendersAnInPersonSessionInUtcStampedWithItsLastChange() {
    IcsEvent session = Sessions.withNotes(inPerson("uid-1"), "Bring the intake form.");

    List<String> lines = Wire.unfold(renderer.render(header(), List.of(session)));

    assertThat(lines.subList(lines.indexOf("BEGIN:VEVENT"), lines.indexOf("END:VEVENT") + 1))
        .containsExactly(
            "BEGIN:VEVENT",
            "UID:uid-1",
            "DTSTAMP:20260220T140327Z",
            "LAST-MODIFIED:20260220T140327Z",
            "SEQUENCE:0",
            "DTSTART:20260310T150000Z",
            "DTEND:20260310T155000Z",
            "SUMMARY:Therapy session – J.D.",
            "STATUS:CONFIRMED",
            "CLASS:PRIVATE",
            "LOCATION:Harbor Counseling\\, 12 Quay St\\, Suite 3",
            "DESCRIPTION:Bring the intake form.",
            "END:VEVENT");
    assertThat(String.join("\n", lines)).doesNotContain("TZID", "VTIMEZONE");
  }

  @Test
  void givesIdenticalBytesForIdenticalInputWhateverTheClockOrCache() {
    List<IcsEvent> feed = Sessions.practiceFeed(40);

    byte[] first = renderer.render(header(), feed);
    byte[] fromCache = renderer.render(header(), feed);
    byte[] uncached = new FeedRenderer(0).render(header(), feed);

    assertThat(fromCache).isEqualTo(first);
    assertThat(uncached).isEqualTo(first);
    assertThat(new String(first, StandardCharsets.UTF_8)).doesNotContain(stampOfToday());
  }

  @Test
  void followsSequenceAndLastModifiedOfTheInputEvenWhenTheOldVersionIsCached() {
    IcsEvent v0 = inPerson("uid-1");
    renderer.render(header(), List.of(v0));
    Instant later = Instant.parse("2026-02-21T09:00:00Z");

    VEvent v3 = onlyEvent(renderer.render(header(), List.of(Sessions.changed(v0, 3, later))));

    assertThat(value(v3, Property.SEQUENCE)).isEqualTo("3");
    assertThat(value(v3, Property.LAST_MODIFIED)).isEqualTo("20260221T090000Z");
    assertThat(value(v3, Property.DTSTAMP)).isEqualTo("20260221T090000Z");
  }

  @Test
  void putsTheJoinLinkInConferenceLocationUrlAndTheFirstDescriptionLine() {
    IcsEvent session = Sessions.withNotes(telehealth("uid-1", Vendor.OTHER), "Call to cancel.");

    byte[] ics = renderer.render(header(), List.of(session));

    List<String> lines = Wire.unfold(ics);
    assertThat(lines)
        .contains(
            "CONFERENCE;VALUE=URI;FEATURE=VIDEO;LABEL=Join video session:" + Sessions.ZOOM_LINK,
            "LOCATION:Join video session: " + Sessions.ZOOM_LINK,
            "URL:" + Sessions.ZOOM_LINK);
    VEvent event = onlyEvent(ics);
    assertThat(value(event, Property.DESCRIPTION))
        .isEqualTo(
            "Join: "
                + Sessions.ZOOM_LINK
                + "\n\nOpen the link 5 minutes early; use headphones.\n\nCall to cancel.");
    assertThat(value(event, Property.DESCRIPTION).lines().findFirst())
        .contains("Join: " + Sessions.ZOOM_LINK);
    assertThat(value(event, Property.URL)).isEqualTo(Sessions.ZOOM_LINK);
  }

  @Test
  void addsTheTeamsPropertyOnlyToTeamsLinks() {
    List<String> lines =
        Wire.unfold(renderer.render(header(), List.of(telehealth("uid-1", Vendor.TEAMS))));

    assertThat(lines).contains("X-MICROSOFT-SKYPETEAMSMEETINGURL:" + Sessions.TEAMS_LINK);
    assertThat(lines).noneMatch(l -> l.startsWith("X-GOOGLE-CONFERENCE"));
    assertThat(lines).noneMatch(l -> l.startsWith("X-MICROSOFT-ONLINEMEETINGCONFLINK"));
  }

  @Test
  void addsTheGooglePropertyOnlyToMeetLinks() {
    List<String> lines =
        Wire.unfold(renderer.render(header(), List.of(telehealth("uid-1", Vendor.GOOGLE_MEET))));

    assertThat(lines).contains("X-GOOGLE-CONFERENCE:" + Sessions.MEET_LINK);
    assertThat(lines).noneMatch(l -> l.startsWith("X-MICROSOFT-"));
  }

  @Test
  void addsNoVendorPropertyToOtherLinks() {
    List<String> lines =
        Wire.unfold(renderer.render(header(), List.of(telehealth("uid-1", Vendor.OTHER))));

    assertThat(lines).noneMatch(l -> l.startsWith("X-MICROSOFT-") || l.startsWith("X-GOOGLE-"));
  }

  @Test
  void labelsABlankJoinLabelWithTheDefault() {
    IcsEvent session =
        Sessions.withJoin(
            inPerson("uid-1"), new JoinLink(Sessions.MEET_LINK, " ", Vendor.GOOGLE_MEET, null));

    List<String> lines = Wire.unfold(renderer.render(header(), List.of(session)));

    assertThat(lines)
        .contains(
            "LOCATION:Join video session: " + Sessions.MEET_LINK,
            "CONFERENCE;VALUE=URI;FEATURE=VIDEO;LABEL=Join video session:" + Sessions.MEET_LINK,
            "DESCRIPTION:Join: " + Sessions.MEET_LINK);
  }

  @Test
  void writesTheJoinLinkInsteadOfAnInPersonAddressForTelehealth() {
    VEvent event =
        onlyEvent(
            renderer.render(
                header(),
                List.of(Sessions.withLocation(telehealth("uid-1", Vendor.OTHER), "Old office"))));

    assertThat(event.getProperties(Property.LOCATION)).hasSize(1);
    assertThat(value(event, Property.LOCATION)).doesNotContain("Old office");
  }

  @Test
  void marksACancelledSessionCancelledTransparentAndPrefixedWithoutAReminder() {
    IcsEvent booked = Sessions.withAlarm(telehealth("uid-1", Vendor.TEAMS), Duration.ofMinutes(15));
    IcsEvent cancelled = Sessions.cancelled(booked);

    VEvent event = onlyEvent(renderer.render(header(), List.of(cancelled)));

    assertThat(value(event, Property.STATUS)).isEqualTo("CANCELLED");
    assertThat(value(event, Property.TRANSP)).isEqualTo("TRANSPARENT");
    assertThat(value(event, Property.SUMMARY)).isEqualTo("Cancelled: Therapy session – J.D.");
    assertThat(value(event, Property.SEQUENCE)).isEqualTo("1");
    assertThat(value(event, Property.UID)).isEqualTo("uid-1");
    assertThat(event.getAlarms()).isEmpty();
  }

  @Test
  void remindsWithADisplayAlarmRelatedToTheStart() {
    IcsEvent session = Sessions.withAlarm(inPerson("uid-1"), Duration.ofMinutes(15));

    byte[] ics = renderer.render(header(), List.of(session));

    List<String> lines = Wire.unfold(ics);
    assertThat(lines.subList(lines.indexOf("BEGIN:VALARM"), lines.indexOf("END:VALARM") + 1))
        .containsExactly(
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            "DESCRIPTION:Therapy session – J.D.",
            "TRIGGER;RELATED=START:-PT15M",
            "END:VALARM");
    VAlarm alarm = onlyEvent(ics).getAlarms().get(0);
    assertThat(value(alarm, Property.TRIGGER)).isEqualTo("-PT15M");
  }

  @Test
  void keepsHostileTextInsideTheFieldItWasGivenFor() {
    IcsEvent hostile =
        new IcsEvent(
            "uid-1",
            2,
            CHANGED,
            Sessions.START,
            Sessions.START.plusSeconds(3000),
            false,
            HOSTILE,
            null,
            new JoinLink(Sessions.MEET_LINK, HOSTILE, Vendor.GOOGLE_MEET, HOSTILE),
            HOSTILE,
            Duration.ofMinutes(10));
    IcsEvent hostileInPerson =
        Sessions.withNotes(Sessions.withLocation(inPerson("uid-2"), HOSTILE), HOSTILE);

    byte[] ics = renderer.render(header(), List.of(hostile, hostileInPerson));

    Wire.assertWellFormed(ics);
    Calendar calendar = Wire.parse(ics);
    List<VEvent> events = calendar.getComponents(Component.VEVENT);
    assertThat(events).hasSize(2);
    assertThat(names(events.get(0)))
        .containsExactly(
            "UID",
            "DTSTAMP",
            "LAST-MODIFIED",
            "SEQUENCE",
            "DTSTART",
            "DTEND",
            "SUMMARY",
            "STATUS",
            "CLASS",
            "LOCATION",
            "URL",
            "CONFERENCE",
            "X-GOOGLE-CONFERENCE",
            "DESCRIPTION");
    assertThat(names(events.get(1)))
        .containsExactly(
            "UID",
            "DTSTAMP",
            "LAST-MODIFIED",
            "SEQUENCE",
            "DTSTART",
            "DTEND",
            "SUMMARY",
            "STATUS",
            "CLASS",
            "LOCATION",
            "DESCRIPTION");
    assertThat(value(events.get(0), Property.SUMMARY)).isEqualTo(HOSTILE_AS_TEXT);
    assertThat(value(events.get(0), Property.LOCATION))
        .isEqualTo(HOSTILE_AS_TEXT + ": " + Sessions.MEET_LINK);
    assertThat(value(events.get(0), Property.DESCRIPTION))
        .isEqualTo(
            "Join: " + Sessions.MEET_LINK + "\n\n" + HOSTILE_AS_TEXT + "\n\n" + HOSTILE_AS_TEXT);
    String label =
        events.get(0).getRequiredProperty("CONFERENCE").getRequiredParameter("LABEL").getValue();
    assertThat(label)
        .isEqualTo(HOSTILE_AS_TEXT.replace('\n', ' ').replace('"', '\'').replace('\\', '/'));
    assertThat(events.get(0).getAlarms()).hasSize(1);
    assertThat(names(events.get(0).getAlarms().get(0)))
        .containsExactly("ACTION", "DESCRIPTION", "TRIGGER");
    assertThat(value(events.get(1), Property.LOCATION)).isEqualTo(HOSTILE_AS_TEXT);
    assertThat(value(events.get(1), Property.DESCRIPTION)).isEqualTo(HOSTILE_AS_TEXT);
    assertThat(calendar.getComponents()).hasSize(2);
  }

  @Test
  void foldsByOctetsAndNeverInsideAUtf8Sequence() {
    String cjk = "日本語のセッション要約はとても長いのでここで必ず折り返されます".repeat(3);
    IcsEvent session =
        Sessions.withNotes(
            Sessions.withSummary(
                inPerson("uid-1"), "Zoë " + cjk + " 😀😀😀😀😀😀😀😀😀😀 é".repeat(2)),
            "ü".repeat(200) + "\\;,".repeat(40));

    byte[] ics = renderer.render(header(), List.of(session));

    Wire.assertWellFormed(ics);
    assertThat(Wire.physicalLines(ics)).anyMatch(line -> line.length == 75 || line.length == 74);
    VEvent event = onlyEvent(ics);
    assertThat(value(event, Property.SUMMARY)).isEqualTo(session.summary());
    assertThat(value(event, Property.DESCRIPTION)).isEqualTo(session.notes());
  }

  @Test
  void writesTheSameContentLinesAsICal4jsCalendarOutputterApartFromFolds() throws IOException {
    List<IcsEvent> events = new java.util.ArrayList<>(Sessions.practiceFeed(30));
    events.add(Sessions.withSummary(Sessions.withNotes(inPerson("hostile"), HOSTILE), HOSTILE));

    byte[] ours = renderer.render(header(), events);

    var outputter = new StringWriter();
    new CalendarOutputter(false).output(FeedRenderer.model(header(), events), outputter);
    assertThat(Wire.unfold(ours)).isEqualTo(Wire.unfold(outputter.toString()));
  }

  @Test
  void roundTripsEveryPropertyThroughICal4jsParser() {
    List<IcsEvent> feed = Sessions.practiceFeed(20);

    Calendar parsed = Wire.parse(renderer.render(header(), feed));

    Calendar model = FeedRenderer.model(header(), feed);
    assertThat(parsed.getProperties().stream().map(Property::toString))
        .containsExactlyElementsOf(model.getProperties().stream().map(Property::toString).toList());
    List<VEvent> parsedEvents = parsed.getComponents(Component.VEVENT);
    List<VEvent> modelEvents = model.getComponents(Component.VEVENT);
    assertThat(parsedEvents).hasSameSizeAs(feed);
    for (int i = 0; i < feed.size(); i++) {
      assertThat(parsedEvents.get(i).toString()).isEqualTo(modelEvents.get(i).toString());
    }
  }

  @Test
  void rendersSessionsAroundDaylightSavingChangesAtTheirUtcInstants() {
    List<VEvent> events =
        Wire.parse(renderer.render(header(), IcsValidateTest.dstEdges()))
            .getComponents(Component.VEVENT);

    assertThat(
            events.stream().map(e -> value(e, Property.DTSTART) + "/" + value(e, Property.DTEND)))
        .containsExactly(
            "20260308T063000Z/20260308T072000Z", // 01:30 EST, ends 03:20 EDT
            "20261101T053000Z/20261101T062000Z", // first 01:30 (EDT)
            "20261025T003000Z/20261025T012000Z", // first 02:30 (CEST)
            "20260329T004500Z/20260329T013500Z", // 01:45 CET, ends 03:35 CEST
            "20260404T153000Z/20260404T162000Z", // first 02:30 (AEDT)
            "20261003T153000Z/20261003T162000Z"); // 01:30 AEST
  }

  @Test
  void rejectsAFeedThatRepeatsAUid() {
    assertThatThrownBy(() -> renderer.render(header(), List.of(inPerson("dup"), inPerson("dup"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("UID dup appears twice");
  }

  @Test
  void rejectsJoinLinksThatAreNotPlainHttpsUris() {
    for (String url :
        List.of(
            "http://meet.example.com/x",
            "https://meet.example.com/x\r\nX-EVIL:1",
            "https://meet.example.com/a b",
            "https://meet.example.com/\"x",
            "javascript:alert(1)",
            "/relative/path",
            "")) {
      IcsEvent session =
          Sessions.withJoin(inPerson("uid-9"), new JoinLink(url, "Join", Vendor.OTHER, null));
      assertThatThrownBy(() -> renderer.render(header(), List.of(session)))
          .as(url)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("uid-9")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("meet.example.com"));
    }
  }

  @Test
  void rejectsASessionThatEndsBeforeItStarts() {
    IcsEvent backwards = Sessions.at(inPerson("uid-1"), Sessions.START, Duration.ofMinutes(-5));

    assertThatThrownBy(() -> renderer.render(header(), List.of(backwards)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("uid-1");
  }

  @Test
  void servesUnchangedEventsFromItsBoundedCache() {
    var small = new FeedRenderer(64);
    List<IcsEvent> feed = Sessions.practiceFeed(50);
    byte[] first = small.render(header(), feed);
    assertThat(small.cachedEvents()).isEqualTo(50);

    small.render(header(), Sessions.practiceFeed(200));

    assertThat(small.cachedEvents()).isLessThanOrEqualTo(64);
    assertThat(small.render(header(), feed)).isEqualTo(first);
    assertThat(new FeedRenderer(0).cachedEvents()).isZero();
  }

  private static VEvent onlyEvent(byte[] ics) {
    Wire.assertWellFormed(ics);
    List<VEvent> events = Wire.parse(ics).getComponents(Component.VEVENT);
    assertThat(events).hasSize(1);
    return events.get(0);
  }

  static String value(Component component, String property) {
    return component.getRequiredProperty(property).getValue();
  }

  static List<String> names(Component component) {
    return component.getProperties().stream().map(Property::getName).collect(Collectors.toList());
  }

  private static String stampOfToday() {
    return "DTSTAMP:" + Instant.now().toString().substring(0, 10).replace("-", "");
  }
}
