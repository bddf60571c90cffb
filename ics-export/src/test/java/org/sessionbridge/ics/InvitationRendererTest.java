package org.sessionbridge.ics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sessionbridge.ics.FeedRendererTest.names;
import static org.sessionbridge.ics.FeedRendererTest.value;
import static org.sessionbridge.ics.Sessions.telehealth;

import java.io.IOException;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import net.fortuna.ical4j.data.CalendarOutputter;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import org.junit.jupiter.api.Test;
import org.sessionbridge.ics.IcsEvent.Vendor;
import org.sessionbridge.ics.Invitation.Person;

class InvitationRendererTest {

  static final Instant SENT = Instant.parse("2026-02-20T14:05:00Z");

  private final InvitationRenderer renderer =
      new InvitationRenderer(Clock.fixed(SENT, ZoneOffset.UTC));

  static Invitation invitation(IcsEvent event) {
    return new Invitation(
        event,
        new Person("dr.rivera@harbor.example", "Dr. Ana Rivera"),
        List.of(new Person("jd+sessions@example.com", "J.D.")));
  }

  @Test
  void requestsABookedSessionFromOrganizerToAttendee() {
    byte[] ics = renderer.render(invitation(telehealth("uid-1", Vendor.TEAMS)));

    Wire.assertWellFormed(ics);
    List<String> lines = Wire.unfold(ics);
    assertThat(lines.subList(0, 6))
        .containsExactly(
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//SessionBridge//SessionBridge Hub//EN",
            "CALSCALE:GREGORIAN",
            "METHOD:REQUEST",
            "BEGIN:VEVENT");
    assertThat(lines)
        .contains(
            "UID:uid-1",
            "SEQUENCE:0",
            "DTSTAMP:20260220T140500Z",
            "LAST-MODIFIED:20260220T140327Z",
            "STATUS:CONFIRMED",
            "ORGANIZER;CN=Dr. Ana Rivera:mailto:dr.rivera@harbor.example",
            "ATTENDEE;CN=J.D.:mailto:jd+sessions@example.com");
    assertThat(lines).noneMatch(l -> l.startsWith("X-WR-") || l.startsWith("NAME:"));
    assertThat(InvitationRenderer.contentType(invitation(telehealth("uid-1", Vendor.TEAMS))))
        .isEqualTo("text/calendar; charset=UTF-8; method=REQUEST");
  }

  @Test
  void cancelsWithTheSameUidAHigherSequenceAndStatusCancelled() {
    IcsEvent booked = telehealth("uid-1", Vendor.OTHER);
    Invitation cancel = invitation(Sessions.cancelled(booked));

    byte[] ics = renderer.render(cancel);

    Calendar calendar = Wire.parse(ics);
    assertThat(calendar.getRequiredProperty(Property.METHOD).getValue()).isEqualTo("CANCEL");
    VEvent event = calendar.<VEvent>getComponents(Component.VEVENT).get(0);
    assertThat(value(event, Property.UID)).isEqualTo("uid-1");
    assertThat(value(event, Property.SEQUENCE)).isEqualTo("1");
    assertThat(value(event, Property.STATUS)).isEqualTo("CANCELLED");
    assertThat(event.getProperties(Property.ORGANIZER)).hasSize(1);
    assertThat(event.getProperties(Property.ATTENDEE)).hasSize(1);
    assertThat(InvitationRenderer.contentType(cancel))
        .isEqualTo("text/calendar; charset=UTF-8; method=CANCEL");
  }

  @Test
  void placesTheJoinLinkExactlyAsTheFeedDoes() {
    IcsEvent session = telehealth("uid-1", Vendor.GOOGLE_MEET);

    VEvent invited =
        Wire.parse(renderer.render(invitation(session)))
            .<VEvent>getComponent("VEVENT")
            .orElseThrow();
    VEvent subscribed =
        Wire.parse(new FeedRenderer(0).render(Sessions.header(), List.of(session)))
            .<VEvent>getComponent("VEVENT")
            .orElseThrow();

    for (String name :
        List.of("CONFERENCE", "LOCATION", "URL", "DESCRIPTION", "X-GOOGLE-CONFERENCE")) {
      assertThat(invited.getRequiredProperty(name).toString())
          .isEqualTo(subscribed.getRequiredProperty(name).toString());
    }
  }

  @Test
  void keepsHostileNamesInsideTheirCommonNameParameter() {
    var invitation =
        new Invitation(
            Sessions.withSummary(Sessions.inPerson("uid-1"), Sessions.HOSTILE),
            new Person("dr@harbor.example", "Dr. \"Ana\" O'Brien; MD, PhD:\r\nATTENDEE:x"),
            List.of(
                new Person("zoe@example.com", Sessions.HOSTILE),
                new Person("li@example.com", "李小龍 \"Bruce\"")));

    byte[] ics = renderer.render(invitation);

    Wire.assertWellFormed(ics);
    VEvent event = Wire.parse(ics).<VEvent>getComponent("VEVENT").orElseThrow();
    assertThat(event.getProperties(Property.ORGANIZER)).hasSize(1);
    assertThat(event.getProperties(Property.ATTENDEE)).hasSize(2);
    assertThat(names(event)).doesNotContain("X-INJECT", "END");
    assertThat(event.getRequiredProperty(Property.ORGANIZER).getRequiredParameter("CN").getValue())
        .isEqualTo("Dr. 'Ana' O'Brien; MD, PhD: ATTENDEE:x");
    assertThat(event.<Property>getProperties(Property.ATTENDEE).get(1).getValue())
        .isEqualTo("mailto:li@example.com");
    assertThat(
            event
                .<Property>getProperties(Property.ATTENDEE)
                .get(1)
                .getRequiredParameter("CN")
                .getValue())
        .isEqualTo("李小龍 'Bruce'");
  }

  @Test
  void rejectsAddressesThatAreNotPlainMailboxes() {
    for (String email :
        List.of("no-at-sign", "a@b@c", "x@y.example\r\nX-EVIL:1", "a b@example.com", "\"q\"@x.y")) {
      var invitation =
          new Invitation(
              Sessions.inPerson("uid-7"),
              new Person("dr@harbor.example", "Dr"),
              List.of(new Person(email, "Client")));
      assertThatThrownBy(() -> renderer.render(invitation))
          .as(email)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("uid-7")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(email));
    }
  }

  @Test
  void writesTheSameContentLinesAsICal4jsCalendarOutputterApartFromFolds() throws IOException {
    Invitation invitation =
        new Invitation(
            Sessions.withAlarm(telehealth("uid-1", Vendor.TEAMS), java.time.Duration.ofMinutes(5)),
            new Person("dr@harbor.example", "Dr. Zoë \"Z\" Ünïcödé, 日本語"),
            List.of(new Person("jd@example.com", Sessions.HOSTILE)));

    byte[] ours = renderer.render(invitation);

    var outputter = new StringWriter();
    new CalendarOutputter(false).output(InvitationRenderer.model(invitation, SENT), outputter);
    assertThat(Wire.unfold(ours)).isEqualTo(Wire.unfold(outputter.toString()));
  }

  @Test
  void stampsTheSendTimeButKeepsTheAppointmentsLastChange() {
    var later = new InvitationRenderer(Clock.fixed(SENT.plusSeconds(60), ZoneOffset.UTC));
    Invitation invitation = invitation(Sessions.inPerson("uid-1"));

    VEvent event =
        Wire.parse(later.render(invitation)).<VEvent>getComponent("VEVENT").orElseThrow();

    assertThat(value(event, Property.DTSTAMP)).isEqualTo("20260220T140600Z");
    assertThat(value(event, Property.LAST_MODIFIED)).isEqualTo("20260220T140327Z");
  }

  @Test
  void keepsEveryParticipantsNameAndColonOnTheFirstPhysicalLine() {
    String longName = "Alexandria Montgomery-Fitzwilliam van der Berg-Ångström, PhD, LCSW, Esq.";
    Invitation invitation =
        new Invitation(
            Sessions.inPerson("uid-1"),
            new Person("organizer@harbor.example", longName),
            List.of(new Person("alice@client.example", longName)));

    byte[] ics = renderer.render(invitation);

    for (byte[] line : Wire.physicalLines(ics)) {
      String text = new String(line, java.nio.charset.StandardCharsets.UTF_8);
      if (text.startsWith("ORGANIZER") || text.startsWith("ATTENDEE")) {
        assertThat(text).matches("(ORGANIZER|ATTENDEE);CN=\"[^\"]*\":.*");
        assertThat(line.length).isLessThanOrEqualTo(75);
      }
    }
    assertThat(String.join("\n", Wire.unfold(ics))).contains("CN=\"Alexandria Montgomery");
  }

  @Test
  void shortensNamesAtACodePointBoundary() {
    assertThat(InvitationRenderer.fitOctets("Ann", 10)).isEqualTo("Ann");
    String cut = InvitationRenderer.fitOctets("日本語日本語日本語", 10);
    assertThat(cut).isEqualTo("日本…");
    assertThat(cut.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(10);
  }
}
