package org.sessionbridge.config.demo;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.sessionbridge.core.appointment.AppointmentBook;
import org.sessionbridge.core.appointment.BookingRequest;
import org.sessionbridge.core.appointment.Modality;
import org.sessionbridge.core.practice.Client;
import org.sessionbridge.core.practice.Staff;
import org.sessionbridge.core.practice.VideoPlatform;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * The demo's reminder: a Doxy.me session for Jordan with Sam Rivera starting in ten minutes is
 * booked (inside the reminder window, so the reminder goes out at once), and once the mail catcher
 * has Jordan's reminder e-mail its subject and join line are printed with the curl that lists the
 * session's notifications.
 */
@Component
@Profile("demo")
final class DemoReminderTour {

  private final AppointmentBook book;
  private final GreenMail mail;
  private final Clock clock;

  DemoReminderTour(AppointmentBook book, GreenMail demoMailCatcher, Clock clock) {
    this.book = book;
    this.mail = demoMailCatcher;
    this.clock = clock;
  }

  /** Books the session and watches the mail catcher in the background. */
  void show(String base, UUID practiceId, Staff provider, Client client) {
    Instant start = clock.instant().plus(Duration.ofMinutes(11)).truncatedTo(ChronoUnit.MINUTES);
    ZoneId zone = provider.timeZone();
    UUID id =
        book.book(
                practiceId,
                new BookingRequest(
                    provider.id(),
                    List.of(client.id()),
                    start,
                    start.plus(Duration.ofMinutes(50)),
                    zone,
                    Modality.TELEHEALTH,
                    VideoPlatform.DOXY,
                    null,
                    true),
                null)
            .appointment()
            .id();
    Thread watcher =
        new Thread(
            () -> {
              try {
                for (int i = 0; i < 240; i++) {
                  Thread.sleep(500);
                  Optional<MimeMessage> reminder = reminderTo(client.email());
                  if (reminder.isPresent()) {
                    System.out.println(
                        "\n[demo] Mail catcher: the client received the reminder e-mail of a"
                            + " session starting in about ten minutes:\n  Subject: "
                            + reminder.get().getSubject()
                            + "\n  "
                            + joinLine(reminder.get())
                            + "\n[demo] Every notification of that session (confirmation, reminders):"
                            + "\n  curl -s -H \"Authorization: Bearer $KEY\" "
                            + base
                            + "/api/v1/appointments/"
                            + id
                            + "/notifications\n");
                    return;
                  }
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (MessagingException | IOException e) {
                System.out.println("[demo] Reading the mail catcher failed: " + e.getClass());
              }
            },
            "demo-reminder");
    watcher.setDaemon(true);
    watcher.start();
  }

  private Optional<MimeMessage> reminderTo(String address) throws MessagingException {
    for (MimeMessage m : mail.getReceivedMessages()) {
      Address[] to = m.getAllRecipients();
      if (to != null
          && to.length == 1
          && to[0].toString().equals(address)
          && m.getSubject() != null
          && m.getSubject().startsWith("Reminder:")) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  private static String joinLine(MimeMessage m) throws MessagingException, IOException {
    Object content = m.getContent();
    String text =
        content instanceof Multipart parts
            ? String.valueOf(parts.getBodyPart(0).getContent())
            : String.valueOf(content);
    return text.lines().filter(l -> l.startsWith("Join")).findFirst().orElse(text.strip());
  }
}
