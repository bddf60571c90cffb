package org.sessionbridge.config.feeds;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.appointment.Appointment;
import org.sessionbridge.core.appointment.AppointmentStatus;
import org.sessionbridge.core.appointment.Modality;
import org.sessionbridge.core.join.JoinPass;
import org.sessionbridge.core.join.JoinPassLinks;
import org.sessionbridge.core.meeting.MeetingStore;
import org.sessionbridge.core.meeting.MeetingWork;
import org.sessionbridge.core.policy.CalendarPrivacy;
import org.sessionbridge.core.practice.Client;
import org.sessionbridge.core.practice.PracticeSettings;
import org.sessionbridge.core.practice.PracticeStore;
import org.sessionbridge.core.practice.Staff;
import org.sessionbridge.core.practice.VideoPlatform;
import org.sessionbridge.core.practice.VideoService;
import org.sessionbridge.ics.IcsEvent;

/**
 * Turns appointments into calendar entries for one audience, applying {@link CalendarPrivacy}: a
 * provider sees client initials (or a reference, or nothing), a client sees whom they meet and
 * never another client. One instance serves one rendering and remembers the lookups it made.
 */
final class CalendarEntries {

  /** Who the entries are for. */
  enum Audience {
    PROVIDER,
    CLIENT
  }

  private final PracticeStore practices;
  private final MeetingStore meetings;
  private final UUID practiceId;
  private final PracticeSettings settings;
  private final Audience audience;
  private final @Nullable Duration alarmBefore;
  private final @Nullable JoinPassLinks joinLinks;
  private final @Nullable UUID recipient;
  private final Map<UUID, Staff> providers = new HashMap<>();
  private final Map<UUID, Client> clients = new HashMap<>();
  private final Map<UUID, List<VideoService>> services = new HashMap<>();

  CalendarEntries(
      PracticeStore practices,
      MeetingStore meetings,
      UUID practiceId,
      PracticeSettings settings,
      Audience audience,
      @Nullable Duration alarmBefore,
      @Nullable JoinPassLinks joinLinks,
      @Nullable UUID recipient) {
    this.practices = practices;
    this.joinLinks = audience == Audience.CLIENT ? joinLinks : null;
    this.recipient = recipient;
    this.meetings = meetings;
    this.practiceId = practiceId;
    this.settings = settings;
    this.audience = audience;
    this.alarmBefore = alarmBefore == null || alarmBefore.isZero() ? null : alarmBefore;
  }

  IcsEvent entry(Appointment a) {
    Staff provider = provider(a.providerId());
    String summary;
    if (audience == Audience.PROVIDER) {
      List<Client> sessionClients = new ArrayList<>();
      for (UUID id : a.clientIds()) {
        Client c = client(id);
        if (c != null) {
          sessionClients.add(c);
        }
      }
      summary =
          CalendarPrivacy.providerSummary(a.modality(), sessionClients, settings.feedClientLabel());
    } else {
      summary =
          CalendarPrivacy.clientSummary(
              a.modality(),
              provider == null ? "your provider" : provider.name(),
              a.clientIds().size() > 1);
    }
    boolean cancelled = a.status() == AppointmentStatus.CANCELLED;
    IcsEvent.JoinLink join = null;
    String location = null;
    String notes = null;
    if (cancelled) {
      // A struck-through entry must not still send anyone to the video room.
      notes = "This session was cancelled.";
    } else if (a.modality() == Modality.TELEHEALTH) {
      VideoService service = service(a);
      String meetingLink = meetingLink(a);
      if (meetingLink != null) {
        join =
            new IcsEvent.JoinLink(
                forRecipient(a, meetingLink),
                "Join video session",
                vendor(Objects.requireNonNull(a.videoPlatform())),
                service == null ? null : service.instructionsFor(audience == Audience.PROVIDER));
      } else if (service != null && service.joinLink() != null) {
        join =
            new IcsEvent.JoinLink(
                forRecipient(a, Objects.requireNonNull(service.joinLink())),
                "Join video session",
                vendor(service.platform()),
                service.instructionsFor(audience == Audience.PROVIDER));
      } else if (service != null && !service.platform().hubManaged()) {
        // Joined by contact (a Skype ID, a FaceTime number): the contact is the way in.
        notes = service.instructionsFor(audience == Audience.PROVIDER);
      } else {
        notes = "The video link will be sent before the session.";
      }
    } else {
      location = settings.location();
    }
    return new IcsEvent(
        a.icalUid(),
        (int) Math.min(Integer.MAX_VALUE, a.version() - 1),
        a.updatedAt().truncatedTo(ChronoUnit.SECONDS),
        a.start(),
        a.end(),
        cancelled,
        summary,
        location,
        join,
        notes,
        cancelled ? null : alarmBefore);
  }

  @Nullable Staff provider(UUID id) {
    return providers.computeIfAbsent(id, k -> practices.staff(practiceId, k).orElse(null));
  }

  @Nullable Client client(UUID id) {
    return clients.computeIfAbsent(id, k -> practices.client(practiceId, k).orElse(null));
  }

  /** The newest video-service change among the services these entries used, if any. */
  @Nullable Instant servicesChangedAt() {
    Instant latest = null;
    for (List<VideoService> list : services.values()) {
      for (VideoService s : list) {
        if (latest == null || s.updatedAt().isAfter(latest)) {
          latest = s.updatedAt();
        }
      }
    }
    return latest;
  }

  /**
   * What a client's entry links to: their time-boxed {@code /join/{token}} link when the hub gives
   * clients those (the default), else the platform's URL.
   */
  private String forRecipient(Appointment a, String platformUrl) {
    if (joinLinks == null || recipient == null || !a.clientIds().contains(recipient)) {
      return platformUrl;
    }
    return joinLinks.linkFor(practiceId, a.id(), JoinPass.Participant.CLIENT, recipient).toString();
  }

  /** The join link of the meeting the hub made on a hub-managed platform, once it exists. */
  private @Nullable String meetingLink(Appointment a) {
    VideoPlatform platform = a.videoPlatform();
    if (platform == null || !platform.hubManaged()) {
      return null;
    }
    return meetings
        .work(a.id())
        .filter(w -> w.wanted() && w.meetingPlatform() == platform)
        .map(MeetingWork::joinUrl)
        .orElse(null);
  }

  private @Nullable VideoService service(Appointment a) {
    VideoPlatform platform = a.videoPlatform();
    if (platform == null) {
      return null;
    }
    return services
        .computeIfAbsent(a.providerId(), p -> practices.videoServices(practiceId, p))
        .stream()
        .filter(s -> s.platform() == platform)
        .findFirst()
        .orElse(null);
  }

  static IcsEvent.Vendor vendor(VideoPlatform platform) {
    return switch (platform) {
      case TEAMS -> IcsEvent.Vendor.TEAMS;
      case GOOGLE_MEET -> IcsEvent.Vendor.GOOGLE_MEET;
      default -> IcsEvent.Vendor.OTHER;
    };
  }
}
