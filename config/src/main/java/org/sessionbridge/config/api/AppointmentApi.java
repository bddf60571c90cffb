package org.sessionbridge.config.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.config.feeds.Invitations;
import org.sessionbridge.config.settings.SessionBridgeProperties;
import org.sessionbridge.core.appointment.Appointment;
import org.sessionbridge.core.appointment.AppointmentBook;
import org.sessionbridge.core.appointment.AppointmentPatch;
import org.sessionbridge.core.appointment.AppointmentStatus;
import org.sessionbridge.core.appointment.Booked;
import org.sessionbridge.core.appointment.BookingRequest;
import org.sessionbridge.core.appointment.Modality;
import org.sessionbridge.core.calendar.CalendarStore;
import org.sessionbridge.core.calendar.CalendarWork;
import org.sessionbridge.core.error.InvalidInputException;
import org.sessionbridge.core.error.NotFoundException;
import org.sessionbridge.core.meeting.MeetingStore;
import org.sessionbridge.core.meeting.MeetingWork;
import org.sessionbridge.core.practice.PracticeStore;
import org.sessionbridge.core.practice.VideoPlatform;
import org.sessionbridge.core.practice.VideoService;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Appointments: book, read, list by provider and time range, change (reschedule) and cancel. Each
 * answer carries {@code ETag: "<version>"}; send it back as {@code If-Match} to refuse a change
 * that would overwrite someone else's. {@code Idempotency-Key} makes a retried booking safe.
 */
@RestController
@RequestMapping("/api/v1/appointments")
@Tag(name = "Appointments")
final class AppointmentApi {

  private final AppointmentBook book;
  private final PracticeStore practices;
  private final Clock clock;
  private final SessionBridgeProperties.Api limits;
  private final Invitations invitations;
  private final MeetingStore meetings;
  private final CalendarStore calendars;

  AppointmentApi(
      AppointmentBook book,
      PracticeStore practices,
      Clock clock,
      SessionBridgeProperties p,
      Invitations invitations,
      MeetingStore meetings,
      CalendarStore calendars) {
    this.calendars = calendars;
    this.invitations = invitations;
    this.meetings = meetings;
    this.book = book;
    this.practices = practices;
    this.clock = clock;
    this.limits = p.api();
  }

  record NewAppointment(
      @Nullable String providerId,
      @Nullable List<String> clientIds,
      @Nullable String start,
      @Nullable String end,
      @Nullable String timeZone,
      @Nullable String modality,
      @Nullable String videoPlatform,
      @Nullable String title,
      @Nullable Boolean force) {}

  record AppointmentChanges(
      @Nullable List<String> clientIds,
      @Nullable String start,
      @Nullable String end,
      @Nullable String timeZone,
      @Nullable String modality,
      @Nullable String videoPlatform,
      @Nullable String title,
      @Nullable String status,
      @Nullable Boolean force) {}

  /**
   * Telehealth state. For hub-managed platforms (Zoom, Teams) the meeting the hub made, and whether
   * its waiting room was read back on ({@code ENFORCED}), not yet read back ({@code PENDING}) or
   * found off and not yet put back ({@code DRIFTED}); {@code state} and {@code problem} say what
   * the meeting route is doing (e.g. {@code PARKED} until the practice reconnects Zoom). For link
   * services, the provider's link.
   */
  record Telehealth(
      @Nullable VideoPlatform platform,
      @Nullable String meetingId,
      @Nullable String joinUrl,
      String waitingRoom,
      @Nullable String state,
      @Nullable String problem) {}

  record MeetingAuditView(
      long id,
      VideoPlatform platform,
      @Nullable String meetingId,
      String action,
      @Nullable String detail,
      String at) {}

  record CalendarEventView(
      String calendarId, String kind, @Nullable String externalId, String state) {}

  record CalendarAuditView(
      long id,
      UUID linkId,
      @Nullable String externalId,
      String action,
      @Nullable String detail,
      String at) {}

  record AppointmentView(
      UUID id,
      long version,
      UUID providerId,
      List<UUID> clientIds,
      String start,
      String end,
      String timeZone,
      Modality modality,
      @Nullable VideoPlatform videoPlatform,
      AppointmentStatus status,
      @Nullable String title,
      String icalUid,
      @Nullable Telehealth telehealth,
      List<CalendarEventView> calendarEvents,
      String createdAt,
      String updatedAt) {}

  @PostMapping
  @Operation(
      summary = "Book a session",
      description =
          "start/end are ISO-8601 instants with offset; timeZone is the IANA zone it was booked"
              + " in. Send Idempotency-Key to make retries safe. Once the provider has working"
              + " hours, a session outside them, of a modality or video service not offered then,"
              + " or over busy time from a linked calendar is refused with 422 naming start,"
              + " modality or videoPlatform, and one over another of the provider's sessions with"
              + " 409 naming start; force: true books it anyway.")
  ResponseEntity<AppointmentView> create(
      Caller.PracticeMember caller,
      @RequestHeader(name = "Idempotency-Key", required = false) @Nullable String idempotencyKey,
      @RequestBody NewAppointment body) {
    FieldCheck check = new FieldCheck();
    UUID provider = check.uuid("providerId", body.providerId(), true);
    List<UUID> clients = check.uuids("clientIds", body.clientIds(), true);
    Instant start = check.instant("start", body.start(), true);
    Instant end = check.instant("end", body.end(), true);
    ZoneId zone = check.zone("timeZone", body.timeZone(), true);
    Modality modality = check.oneOf("modality", body.modality(), Modality.class, true);
    VideoPlatform platform =
        check.oneOf("videoPlatform", body.videoPlatform(), VideoPlatform.class, false);
    String title = check.text("title", body.title(), 200, false);
    String key = check.text("Idempotency-Key", idempotencyKey, 255, false);
    check.done();
    Booked booked =
        book.book(
            caller.practiceId(),
            new BookingRequest(
                Objects.requireNonNull(provider),
                Objects.requireNonNull(clients),
                Objects.requireNonNull(start),
                Objects.requireNonNull(end),
                Objects.requireNonNull(zone),
                Objects.requireNonNull(modality),
                platform,
                title,
                Boolean.TRUE.equals(body.force())),
            key);
    Appointment a = booked.appointment();
    return ResponseEntity.status(HttpStatus.CREATED)
        .location(URI.create("/api/v1/appointments/" + a.id()))
        .eTag(Long.toString(a.version()))
        .header("Idempotent-Replayed", Boolean.toString(booked.replayed()))
        .body(view(a, new HashMap<>()));
  }

  @GetMapping("/{id}")
  @Operation(summary = "Read a session with its telehealth and calendar state")
  ResponseEntity<AppointmentView> read(Caller.PracticeMember caller, @PathVariable UUID id) {
    Appointment a =
        book.find(caller.practiceId(), id).orElseThrow(() -> new NotFoundException("appointment"));
    return ResponseEntity.ok().eTag(Long.toString(a.version())).body(view(a, new HashMap<>()));
  }

  @GetMapping
  @Operation(
      summary = "List sessions overlapping [from, to), earliest first",
      description = "from defaults to now, to to seven days after from.")
  List<AppointmentView> list(
      Caller.PracticeMember caller,
      @RequestParam(required = false) @Nullable String providerId,
      @RequestParam(required = false) @Nullable String from,
      @RequestParam(required = false) @Nullable String to,
      @RequestParam(required = false) @Nullable String status,
      @RequestParam(required = false) @Nullable Integer limit) {
    FieldCheck check = new FieldCheck();
    UUID provider = check.uuid("providerId", providerId, false);
    Instant fromAt = check.instant("from", from, false);
    Instant toAt = check.instant("to", to, false);
    AppointmentStatus wanted = check.oneOf("status", status, AppointmentStatus.class, false);
    int max = limit == null ? limits.maxPageSize() : limit;
    if (max < 1 || max > limits.maxPageSize()) {
      check.problem("limit", "must be between 1 and " + limits.maxPageSize());
    }
    check.done();
    Instant rangeStart = fromAt != null ? fromAt : clock.instant();
    Instant rangeEnd = toAt != null ? toAt : rangeStart.plus(Duration.ofDays(7));
    if (!rangeEnd.isAfter(rangeStart)) {
      throw InvalidInputException.malformed("to", "must be after from");
    }
    if (Duration.between(rangeStart, rangeEnd).compareTo(limits.maxListRange()) > 0) {
      throw InvalidInputException.malformed(
          "to", "the range may span at most " + limits.maxListRange().toDays() + " days");
    }
    if (provider != null && practices.staff(caller.practiceId(), provider).isEmpty()) {
      throw new NotFoundException("provider");
    }
    Map<UUID, List<VideoService>> services = new HashMap<>();
    return book.list(caller.practiceId(), provider, rangeStart, rangeEnd, wanted, max).stream()
        .map(a -> view(a, services))
        .toList();
  }

  @PatchMapping("/{id}")
  @Operation(
      summary = "Reschedule or change a session",
      description =
          "Send only the fields to change. Moving start alone keeps the length. If-Match with the"
              + " ETag refuses the change when the session changed meanwhile (412). A change of"
              + " time, modality or video platform is checked against the provider's availability"
              + " like a booking; force: true changes it anyway.")
  ResponseEntity<AppointmentView> change(
      Caller.PracticeMember caller,
      @PathVariable UUID id,
      @RequestHeader(name = "If-Match", required = false) @Nullable String ifMatch,
      @RequestBody AppointmentChanges body) {
    FieldCheck check = new FieldCheck();
    List<UUID> clients = check.uuids("clientIds", body.clientIds(), false);
    Instant start = check.instant("start", body.start(), false);
    Instant end = check.instant("end", body.end(), false);
    ZoneId zone = check.zone("timeZone", body.timeZone(), false);
    Modality modality = check.oneOf("modality", body.modality(), Modality.class, false);
    VideoPlatform platform =
        check.oneOf("videoPlatform", body.videoPlatform(), VideoPlatform.class, false);
    String title = check.text("title", body.title(), 200, false);
    AppointmentStatus status = check.oneOf("status", body.status(), AppointmentStatus.class, false);
    Long expected = expectedVersion(check, ifMatch);
    check.done();
    Appointment a =
        book.change(
            caller.practiceId(),
            id,
            new AppointmentPatch(
                start,
                end,
                zone,
                modality,
                platform,
                title,
                clients,
                status,
                Boolean.TRUE.equals(body.force())),
            expected);
    return ResponseEntity.ok().eTag(Long.toString(a.version())).body(view(a, new HashMap<>()));
  }

  @GetMapping("/{id}/meeting-audit")
  @Operation(
      summary = "What the hub did to the session's meetings",
      description =
          "Creates, updates, deletes, meetings found again after a lost answer, orphans removed,"
              + " and every waiting-room or schedule drift it put right; oldest first.")
  List<MeetingAuditView> meetingAudit(Caller.PracticeMember caller, @PathVariable UUID id) {
    book.find(caller.practiceId(), id).orElseThrow(() -> new NotFoundException("appointment"));
    return meetings.audits(caller.practiceId(), id).stream()
        .map(
            m ->
                new MeetingAuditView(
                    m.id(),
                    m.platform(),
                    m.meetingId(),
                    m.action().name(),
                    m.detail(),
                    m.at().toString()))
        .toList();
  }

  @GetMapping("/{id}/calendar-audit")
  @Operation(
      summary = "What the hub did to the session's events in providers' calendars",
      description =
          "Creates, updates, removals, and every move or deletion by the calendar's owner that it"
              + " found and put back; oldest first.")
  List<CalendarAuditView> calendarAudit(Caller.PracticeMember caller, @PathVariable UUID id) {
    book.find(caller.practiceId(), id).orElseThrow(() -> new NotFoundException("appointment"));
    return calendars.audits(caller.practiceId(), id).stream()
        .map(
            c ->
                new CalendarAuditView(
                    c.id(),
                    c.linkId(),
                    c.externalId(),
                    c.action().name(),
                    c.detail(),
                    c.at().toString()))
        .toList();
  }

  @GetMapping("/{id}/invite.ics")
  @Operation(
      summary =
          "The session as an iTIP invitation (METHOD:REQUEST, or METHOD:CANCEL once cancelled)",
      description =
          "For e-mail (iMIP): send it with the Content-Type this answer carries. One invitation per"
              + " client; a group session needs clientId.")
  ResponseEntity<byte[]> invite(
      Caller.PracticeMember caller,
      @PathVariable UUID id,
      @RequestParam(required = false) @Nullable String clientId) {
    FieldCheck check = new FieldCheck();
    UUID client = check.uuid("clientId", clientId, false);
    check.done();
    Invitations.Rendered rendered = invitations.invite(caller.practiceId(), id, client);
    return ResponseEntity.ok()
        .header("Content-Type", rendered.contentType())
        .header("Content-Disposition", "attachment; filename=\"invite.ics\"")
        .header("Cache-Control", "no-store")
        .body(rendered.body());
  }

  @PostMapping("/{id}/cancel")
  @Operation(summary = "Cancel a session; cancelling again answers the same state")
  ResponseEntity<AppointmentView> cancel(
      Caller.PracticeMember caller,
      @PathVariable UUID id,
      @RequestHeader(name = "If-Match", required = false) @Nullable String ifMatch) {
    FieldCheck check = new FieldCheck();
    Long expected = expectedVersion(check, ifMatch);
    check.done();
    Appointment a = book.cancel(caller.practiceId(), id, expected);
    return ResponseEntity.ok().eTag(Long.toString(a.version())).body(view(a, new HashMap<>()));
  }

  /** The instant as the wall-clock time it was booked in, always with seconds and offset. */
  private static String local(Instant instant, ZoneId zone) {
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.atZone(zone));
  }

  private static @Nullable Long expectedVersion(FieldCheck check, @Nullable String ifMatch) {
    if (ifMatch == null || ifMatch.isBlank() || ifMatch.strip().equals("*")) {
      return null;
    }
    String raw = ifMatch.strip();
    if (raw.startsWith("W/")) {
      raw = raw.substring(2);
    }
    raw = raw.replace("\"", "");
    try {
      return Long.parseLong(raw);
    } catch (NumberFormatException e) {
      check.problem("If-Match", "must be the ETag of the appointment, such as \"3\"");
      return null;
    }
  }

  private List<CalendarEventView> calendarEvents(Appointment a) {
    List<CalendarEventView> views = new java.util.ArrayList<>();
    for (CalendarWork w : calendars.works(a.id())) {
      if (!w.practiceId().equals(a.practiceId())) {
        continue;
      }
      calendars
          .linkById(w.linkId())
          .ifPresent(
              l ->
                  views.add(
                      new CalendarEventView(
                          l.calendarId(),
                          l.kind().name(),
                          w.externalId(),
                          w.present() || w.state() != CalendarWork.State.SYNCED
                              ? w.state().name()
                              : "REMOVED")));
    }
    return views;
  }

  private AppointmentView view(Appointment a, Map<UUID, List<VideoService>> servicesByProvider) {
    Telehealth telehealth = null;
    if (a.modality() == Modality.TELEHEALTH) {
      String joinUrl = null;
      VideoPlatform platform = a.videoPlatform();
      if (platform != null && !platform.hubManaged()) {
        joinUrl =
            servicesByProvider
                .computeIfAbsent(a.providerId(), p -> practices.videoServices(a.practiceId(), p))
                .stream()
                .filter(s -> s.platform() == platform && s.joinLink() != null)
                .map(VideoService::joinLink)
                .findFirst()
                .orElse(null);
      }
      telehealth = new Telehealth(platform, null, joinUrl, "PENDING", null, null);
      if (platform != null && platform.hubManaged()) {
        telehealth =
            meetings
                .work(a.id())
                .filter(w -> w.practiceId().equals(a.practiceId()))
                .map(
                    w ->
                        new Telehealth(
                            platform,
                            w.meetingPlatform() == platform ? w.meetingId() : null,
                            w.meetingPlatform() == platform ? w.joinUrl() : null,
                            w.meetingPlatform() == platform ? w.waitingRoom().name() : "PENDING",
                            w.state().name(),
                            w.state() == MeetingWork.State.SYNCED ? null : w.lastError()))
                .orElse(telehealth);
      }
    }
    return new AppointmentView(
        a.id(),
        a.version(),
        a.providerId(),
        a.clientIds(),
        local(a.start(), a.timeZone()),
        local(a.end(), a.timeZone()),
        a.timeZone().getId(),
        a.modality(),
        a.videoPlatform(),
        a.status(),
        a.title(),
        a.icalUid(),
        telehealth,
        calendarEvents(a),
        a.createdAt().toString(),
        a.updatedAt().toString());
  }
}
