package org.sessionbridge.config.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.appointment.Appointment;
import org.sessionbridge.core.appointment.AppointmentBook;
import org.sessionbridge.core.appointment.AppointmentStatus;
import org.sessionbridge.core.appointment.Modality;
import org.sessionbridge.core.calendar.CalendarEvent;
import org.sessionbridge.core.error.InvalidInputException;
import org.sessionbridge.core.error.NotFoundException;
import org.sessionbridge.core.join.JoinPass;
import org.sessionbridge.core.join.JoinPassLinks;
import org.sessionbridge.core.join.JoinPasses;
import org.sessionbridge.core.join.JoinWindow;
import org.sessionbridge.routes.calendar.JoinLinks;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * Time-boxed join links: {@code GET /join/{token}} sends a participant of a telehealth session to
 * the platform's join URL ({@code 302}) only inside the session's window ({@code
 * sessionbridge.join.*}: from 15 minutes before the start until the end by default). Outside it a
 * short page says when the room opens ({@code 425}) or that the session has ended or was cancelled
 * ({@code 410}); an unknown token, or a client no longer in the session, gets {@code 404}. No API
 * key: the token is the credential. Pages carry no names and the token never reaches a log.
 */
@RestController
@Tag(name = "Join links")
final class JoinApi {

  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("EEEE d MMMM yyyy 'at' h:mm a", Locale.ENGLISH);

  private final JoinPasses passes;
  private final AppointmentBook book;
  private final JoinLinks targets;
  private final JoinWindow window;
  private final Clock clock;
  private final JoinPassLinks links;

  JoinApi(
      JoinPassLinks links,
      JoinPasses passes,
      AppointmentBook book,
      JoinLinks targets,
      JoinWindow window,
      Clock clock) {
    this.links = links;
    this.passes = passes;
    this.book = book;
    this.targets = targets;
    this.window = window;
    this.clock = clock;
  }

  @GetMapping("/join/{token}")
  @Operation(
      summary = "A participant's join link: to the video room around the session only",
      description =
          "302 to the platform's join URL from sessionbridge.join.opens-before (15 min) before the"
              + " start until the end; 425 with a page saying when it opens; 410 once the session"
              + " ended or was cancelled; 503 with Retry-After while the meeting is being made;"
              + " 404 for an unknown link.")
  ResponseEntity<String> join(@PathVariable String token) {
    Optional<JoinPass> pass = passes.byToken(token);
    Optional<Appointment> found =
        pass.flatMap(p -> book.find(p.practiceId(), p.appointmentId()))
            .filter(a -> stillTakesPart(a, pass.get()));
    if (found.isEmpty()) {
      return page(
          HttpStatus.NOT_FOUND,
          "Link not valid",
          "This join link is not valid. Please use the link in your most recent reminder, or"
              + " contact your practice.",
          null);
    }
    Appointment a = found.get();
    ZoneId zone = a.timeZone();
    if (a.status() == AppointmentStatus.CANCELLED || a.modality() != Modality.TELEHEALTH) {
      return page(
          HttpStatus.GONE,
          "Session cancelled",
          a.status() == AppointmentStatus.CANCELLED
              ? "This session was cancelled. Please contact your practice to book another."
              : "This session takes place in person, not by video.",
          null);
    }
    Instant now = clock.instant();
    switch (window.phase(a.start(), a.end(), now)) {
      case NOT_YET -> {
        Instant opens = window.opensAt(a.start());
        Duration wait = Duration.between(now, opens);
        return page(
            HttpStatus.valueOf(425),
            "Not open yet",
            "Your session is on "
                + WHEN.format(a.start().atZone(zone))
                + " ("
                + zone.getId()
                + "). This link opens the video room from "
                + WHEN.format(opens.atZone(zone))
                + "; please come back then.",
            wait.compareTo(Duration.ofHours(1)) <= 0 ? Long.valueOf(60) : null);
      }
      case ENDED -> {
        return page(
            HttpStatus.GONE,
            "Session ended",
            "This session ended on "
                + WHEN.format(a.end().atZone(zone))
                + " ("
                + zone.getId()
                + "). The link no longer opens the video room.",
            null);
      }
      case OPEN -> {
        Optional<CalendarEvent.Join> target = targets.join(a.practiceId(), a.id());
        if (target.isEmpty()) {
          return page(
              HttpStatus.SERVICE_UNAVAILABLE,
              "Almost ready",
              "The video room for your session is being prepared. This page tries again in 30"
                  + " seconds.",
              Long.valueOf(30));
        }
        return ResponseEntity.status(HttpStatus.FOUND)
            .location(target.get().url())
            .header("Cache-Control", "no-store")
            .header("Referrer-Policy", "no-referrer")
            .build();
      }
    }
    throw new IllegalStateException("unreachable");
  }

  /**
   * @param participant {@code PROVIDER} or {@code CLIENT}
   * @param opensAt when the link starts sending to the video room
   */
  record JoinLinkView(String participant, UUID id, String url, String opensAt, String closesAt) {}

  @GetMapping("/api/v1/appointments/{id}/join-links")
  @Operation(
      summary = "Each participant's time-boxed join link of a telehealth session",
      description =
          "One link for the provider and one per client (a group session's clients each get their"
              + " own; hand each only their own). Feeds and invitations already carry the client's."
              + " 422 naming modality for an in-person session.")
  List<JoinLinkView> links(Caller.PracticeMember caller, @PathVariable UUID id) {
    Appointment a =
        book.find(caller.practiceId(), id).orElseThrow(() -> new NotFoundException("appointment"));
    if (a.modality() != Modality.TELEHEALTH) {
      throw InvalidInputException.rule(
          "modality", "an in-person session has no join links; it takes place at the practice");
    }
    String opens = window.opensAt(a.start()).atZone(a.timeZone()).toOffsetDateTime().toString();
    String closes = window.closesAt(a.end()).atZone(a.timeZone()).toOffsetDateTime().toString();
    List<JoinLinkView> views = new ArrayList<>();
    views.add(
        new JoinLinkView(
            "PROVIDER",
            a.providerId(),
            links
                .linkFor(a.practiceId(), a.id(), JoinPass.Participant.PROVIDER, a.providerId())
                .toString(),
            opens,
            closes));
    for (UUID client : a.clientIds()) {
      views.add(
          new JoinLinkView(
              "CLIENT",
              client,
              links.linkFor(a.practiceId(), a.id(), JoinPass.Participant.CLIENT, client).toString(),
              opens,
              closes));
    }
    return views;
  }

  private static boolean stillTakesPart(Appointment a, JoinPass pass) {
    return pass.kind() == JoinPass.Participant.PROVIDER
        ? a.providerId().equals(pass.participantId())
        : a.clientIds().contains(pass.participantId());
  }

  private static ResponseEntity<String> page(
      HttpStatus status, String title, String text, @Nullable Long refreshSeconds) {
    String html =
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            + "<meta name=\"viewport\" content=\"width=device-width\">"
            + (refreshSeconds == null
                ? ""
                : "<meta http-equiv=\"refresh\" content=\"" + refreshSeconds + "\">")
            + "<title>"
            + HtmlUtils.htmlEscape(title)
            + "</title></head><body><h1>"
            + HtmlUtils.htmlEscape(title)
            + "</h1><p>"
            + HtmlUtils.htmlEscape(text)
            + "</p></body></html>\n";
    ResponseEntity.BodyBuilder answer =
        ResponseEntity.status(status)
            .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
            .header("Cache-Control", "no-store")
            .header("Referrer-Policy", "no-referrer")
            .header("X-Robots-Tag", "noindex")
            .header("Content-Security-Policy", "default-src 'none'");
    if (refreshSeconds != null) {
      answer.header("Retry-After", Long.toString(refreshSeconds));
    }
    return answer.body(html);
  }
}
