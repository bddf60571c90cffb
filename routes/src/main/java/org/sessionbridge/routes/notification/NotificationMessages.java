package org.sessionbridge.routes.notification;

import java.net.URI;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.appointment.Appointment;
import org.sessionbridge.core.appointment.AppointmentStatus;
import org.sessionbridge.core.appointment.Modality;
import org.sessionbridge.core.calendar.CalendarEvent;
import org.sessionbridge.core.join.JoinPass;
import org.sessionbridge.core.join.JoinPassLinks;
import org.sessionbridge.core.notification.Notification;
import org.sessionbridge.core.notification.Notification.Purpose;
import org.sessionbridge.core.policy.CalendarPrivacy;
import org.sessionbridge.core.practice.Client;
import org.sessionbridge.core.practice.Practice;
import org.sessionbridge.core.practice.PracticeSettings;
import org.sessionbridge.core.practice.PracticeStore;
import org.sessionbridge.core.practice.Staff;
import org.sessionbridge.routes.calendar.JoinLinks;

/**
 * The words of each notification, made when it is sent from the appointment as it stands. What a
 * client reads: the provider's name, the time in the session's zone, their own join link ({@code
 * /join/{token}}) and the platform's join instructions, or the practice's address for an in-person
 * session. What the provider reads: the session as {@link CalendarPrivacy} names it for them
 * (initials or a reference, "Group session (3 clients)"), in their own zone, with their own link.
 * Never the appointment's title (it may hold clinical detail), never another client's name, address
 * or number.
 */
public final class NotificationMessages {

  static final int SMS_INSTRUCTIONS_MAX = 200;
  private static final DateTimeFormatter DAY_TIME =
      DateTimeFormatter.ofPattern("EEEE d MMMM yyyy 'at' h:mm a", Locale.ENGLISH);
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("h:mm a", Locale.ENGLISH);

  private final PracticeStore practices;
  private final JoinLinks targets;
  private final JoinPassLinks passes;
  private final boolean clientPassLinks;
  private final InvitationFiles invitations;
  private final String messageIdDomain;

  /**
   * @param clientPassLinks whether clients get their time-boxed {@code /join/{token}} link ({@code
   *     sessionbridge.join.client-links}) or the platform's URL
   * @param messageIdDomain the right-hand side of Message-IDs (the hub's host)
   */
  public NotificationMessages(
      PracticeStore practices,
      JoinLinks targets,
      JoinPassLinks passes,
      boolean clientPassLinks,
      InvitationFiles invitations,
      String messageIdDomain) {
    this.practices = practices;
    this.targets = targets;
    this.passes = passes;
    this.clientPassLinks = clientPassLinks;
    this.invitations = invitations;
    this.messageIdDomain = messageIdDomain;
  }

  Rendered render(Notification n, Appointment a) {
    Optional<Staff> provider = practices.staff(a.practiceId(), a.providerId());
    if (provider.isEmpty()) {
      return new Rendered.Skip("provider not found");
    }
    String practiceName =
        practices.practice(a.practiceId()).map(Practice::name).orElse("Your practice");
    PracticeSettings settings = practices.settings(a.practiceId());
    if (n.recipientKind() == Notification.RecipientKind.PROVIDER) {
      return providerMessage(n, a, provider.get(), practiceName, settings);
    }
    Optional<Client> client = practices.client(a.practiceId(), n.recipientId());
    if (client.isEmpty() || !a.clientIds().contains(n.recipientId())) {
      return new Rendered.Skip("client no longer in the session");
    }
    return clientMessage(n, a, client.get(), provider.get(), practiceName, settings);
  }

  private Rendered clientMessage(
      Notification n,
      Appointment a,
      Client client,
      Staff provider,
      String practiceName,
      PracticeSettings settings) {
    ZoneId zone = a.timeZone();
    boolean group = a.clientIds().size() > 1;
    String what = CalendarPrivacy.clientSummary(a.modality(), provider.name(), group);
    String when = a.start().atZone(zone).format(DAY_TIME) + " (" + zone.getId() + ")";
    Optional<CalendarEvent.Join> target = target(a);
    @Nullable URI link = null;
    if (a.modality() == Modality.TELEHEALTH) {
      link =
          clientPassLinks
              ? passes.linkFor(a.practiceId(), a.id(), JoinPass.Participant.CLIENT, client.id())
              : target.map(CalendarEvent.Join::url).orElse(null);
    }
    String instructions = target.map(CalendarEvent.Join::instructions).orElse("");
    if (n.channel() == Notification.Channel.SMS) {
      String phone = client.phone();
      if (phone == null || phone.isBlank()) {
        return new Rendered.Skip("client has no phone number");
      }
      return new Sms(phone, sms(what, a, zone, link, instructions, settings), n.id().toString());
    }
    String subject = subject(n.purpose(), what, a, zone);
    List<String> lines = new ArrayList<>();
    lines.add("Hello,");
    lines.add("");
    lines.add(opening(n.purpose(), decapitalize(what), when));
    place(lines, a, link, instructions, settings, n.purpose());
    Email.Calendar calendar = null;
    if (n.purpose() != Purpose.REMINDER) {
      Optional<byte[]> ics = invitations.forClient(a.practiceId(), a.id(), client.id());
      if (ics.isPresent()) {
        calendar =
            new Email.Calendar(
                ics.get(), a.status() == AppointmentStatus.CANCELLED ? "CANCEL" : "REQUEST");
        lines.add("");
        lines.add(
            a.status() == AppointmentStatus.CANCELLED
                ? "The attached invitation removes it from your calendar."
                : "The attached invitation adds it to your calendar.");
      }
    }
    lines.add("");
    lines.add("— " + practiceName);
    return new Email(client.email(), subject, String.join("\n", lines), calendar, messageId(n));
  }

  private Rendered providerMessage(
      Notification n, Appointment a, Staff provider, String practiceName, PracticeSettings s) {
    if (n.channel() != Notification.Channel.EMAIL) {
      return new Rendered.Skip("providers get e-mail only");
    }
    List<Client> clients = new ArrayList<>();
    for (UUID id : a.clientIds()) {
      practices.client(a.practiceId(), id).ifPresent(clients::add);
    }
    ZoneId zone = provider.timeZone();
    String what = CalendarPrivacy.providerSummary(a.modality(), clients, s.feedClientLabel());
    String when = a.start().atZone(zone).format(DAY_TIME) + " (" + zone.getId() + ")";
    Optional<CalendarEvent.Join> target = target(a);
    URI link =
        a.modality() == Modality.TELEHEALTH
            ? passes.linkFor(a.practiceId(), a.id(), JoinPass.Participant.PROVIDER, provider.id())
            : null;
    List<String> lines = new ArrayList<>();
    lines.add("Hello,");
    lines.add("");
    lines.add(opening(n.purpose(), decapitalize(what), when));
    place(lines, a, link, target.map(CalendarEvent.Join::instructions).orElse(""), s, n.purpose());
    lines.add("");
    lines.add("— " + practiceName + " (SessionBridge)");
    return new Email(
        provider.email(),
        subject(n.purpose(), what, a, zone),
        String.join("\n", lines),
        null,
        messageId(n));
  }

  private Optional<CalendarEvent.Join> target(Appointment a) {
    return a.modality() == Modality.TELEHEALTH
        ? targets.join(a.practiceId(), a.id())
        : Optional.empty();
  }

  private static String subject(Purpose purpose, String what, Appointment a, ZoneId zone) {
    String at = a.start().atZone(zone).format(DAY_TIME);
    return switch (purpose) {
      case REMINDER -> "Reminder: " + what + " at " + a.start().atZone(zone).format(TIME);
      case CONFIRMATION -> "Confirmed: " + what + " on " + at;
      case RESCHEDULED -> "Moved: " + what + ", now " + at;
      case CANCELLED -> "Cancelled: " + what + " on " + at;
    };
  }

  private static String opening(Purpose purpose, String what, String when) {
    return switch (purpose) {
      case REMINDER -> "This is a reminder of your " + what + " on " + when + ".";
      case CONFIRMATION -> "Your " + what + " is booked for " + when + ".";
      case RESCHEDULED -> "Your " + what + " has moved. It is now on " + when + ".";
      case CANCELLED -> "Your " + what + " on " + when + " has been cancelled.";
    };
  }

  private static void place(
      List<String> lines,
      Appointment a,
      @Nullable URI link,
      String instructions,
      PracticeSettings settings,
      Purpose purpose) {
    if (purpose == Purpose.CANCELLED) {
      return;
    }
    lines.add("");
    if (a.modality() == Modality.TELEHEALTH) {
      lines.add(
          link == null
              ? "The video link will follow before the session."
              : "Join the video session: " + link);
      if (!instructions.isBlank()) {
        lines.add("");
        lines.add(instructions.strip());
      }
    } else {
      String location = settings.location();
      lines.add(
          location == null || location.isBlank()
              ? "The session is in person at the practice."
              : "The session is in person at: " + location.strip());
    }
  }

  private static String sms(
      String what,
      Appointment a,
      ZoneId zone,
      @Nullable URI link,
      String instructions,
      PracticeSettings settings) {
    StringBuilder text =
        new StringBuilder("Reminder: ")
            .append(what)
            .append(" at ")
            .append(a.start().atZone(zone).format(TIME))
            .append(" (")
            .append(zone.getId())
            .append(").");
    if (a.modality() == Modality.TELEHEALTH) {
      if (link != null) {
        text.append(" Join: ").append(link);
      }
      String i = instructions.strip();
      if (!i.isEmpty()) {
        text.append(' ')
            .append(
                i.length() <= SMS_INSTRUCTIONS_MAX
                    ? i
                    : i.substring(0, SMS_INSTRUCTIONS_MAX - 1) + "…");
      }
    } else if (settings.location() != null && !settings.location().isBlank()) {
      text.append(" At: ").append(settings.location().strip());
    }
    return text.toString();
  }

  /** "Video session with Dr Chen" → "video session with Dr Chen". */
  static String decapitalize(String s) {
    return s.isEmpty() ? s : s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
  }

  private String messageId(Notification n) {
    return "notification-" + n.id() + "@" + messageIdDomain;
  }
}
