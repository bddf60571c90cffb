package org.sessionbridge.routes.notification;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.impl.DefaultCamelContext;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.appointment.AppointmentBook;
import org.sessionbridge.core.appointment.AppointmentChange;
import org.sessionbridge.core.appointment.AppointmentPatch;
import org.sessionbridge.core.appointment.BookingRequest;
import org.sessionbridge.core.appointment.Modality;
import org.sessionbridge.core.calendar.CalendarEvent;
import org.sessionbridge.core.join.JoinPassLinks;
import org.sessionbridge.core.join.JoinPasses;
import org.sessionbridge.core.notification.Notification;
import org.sessionbridge.core.notification.NotificationStore;
import org.sessionbridge.core.outbox.DeliveryOutcome;
import org.sessionbridge.core.outbox.OutboxStore;
import org.sessionbridge.core.policy.ClientLabel;
import org.sessionbridge.core.practice.PracticeStore;
import org.sessionbridge.core.practice.Staff;
import org.sessionbridge.core.practice.StaffRole;
import org.sessionbridge.core.practice.VideoPlatform;
import org.sessionbridge.routes.calendar.JoinLinks;
import org.sessionbridge.routes.outbox.RetryPolicy;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The real stores on an in-memory H2 database, a practice with Dr. Weber and two clients (Alice
 * with a phone number, Bruno without), the notification planner fed from the real outbox, and
 * senders that talk to a real SMTP server (GreenMail, in this JVM) and, when given one, an SMS
 * gateway at {@code smsBase}.
 */
final class NotificationTestBed implements AutoCloseable {

  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  static final Instant T0 = Instant.parse("2030-03-04T08:00:00Z");
  static final Instant NINE = Instant.parse("2030-03-04T09:00:00Z");
  static final Duration FIFTY_MINUTES = Duration.ofMinutes(50);
  static final Duration LEASE = Duration.ofMinutes(2);
  static final RetryPolicy RETRY =
      new RetryPolicy(5, Duration.ofSeconds(10), Duration.ofMinutes(5));
  static final String HUB = "https://hub.example.org";
  static final String INSTRUCTIONS = "Test your audio first.";
  static final String LOCATION = "Lindenstraße 5, Berlin";

  final TestClock clock = new TestClock(T0);
  final JdbcDataSource h2;
  final Connection migratingSession;
  final JdbcClient jdbc;
  final PracticeStore practices;
  final OutboxStore outbox;
  final AppointmentBook book;
  final NotificationStore store;
  final JoinPasses passes;
  final JoinPassLinks passLinks;
  final JoinLinks joinLinks =
      (practice, appointment) ->
          Optional.of(
              new CalendarEvent.Join(
                  URI.create("https://zoom.example/j/" + appointment + "?pwd=platform-secret"),
                  INSTRUCTIONS));
  final NotificationPlanner planner;
  final GreenMail smtp;
  final DefaultCamelContext camel;
  final UUID practiceId;
  final Staff provider;
  final UUID alice;
  final UUID bruno;

  NotificationTestBed() throws SQLException {
    h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
    h2.setUser("sa");
    migratingSession = h2.getConnection();
    Flyway.configure()
        .dataSource(new SingleConnectionDataSource(migratingSession, true))
        .locations("classpath:db/migration")
        .load()
        .migrate();
    jdbc = JdbcClient.create(h2);
    TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(h2));
    practices = new PracticeStore(jdbc, tx, clock);
    outbox = new OutboxStore(jdbc, tx, clock);
    book = new AppointmentBook(jdbc, tx, practices, outbox, clock);
    store = new NotificationStore(jdbc, clock);
    passes = new JoinPasses(jdbc, clock);
    passLinks = new JoinPassLinks(passes, HUB);
    planner = new NotificationPlanner(store, practices, clock);
    practiceId = practices.createPractice("Lindenhof Praxis", BERLIN).practice().id();
    practices.updateSettings(practiceId, LOCATION, ClientLabel.INITIALS);
    provider =
        practices.createStaff(
            practiceId, "Dr. Weber", "weber@lindenhof.example", BERLIN, StaffRole.PROVIDER, true);
    // Telehealth bookings must name a video service the provider offers (issue #7).
    practices.addVideoService(practiceId, provider.id(), VideoPlatform.ZOOM, null, null, true);
    alice =
        practices
            .createClient(practiceId, "Alice Berger", "alice@clients.example", "+4915112345678")
            .id();
    bruno = practices.createClient(practiceId, "Bruno Keller", "bruno@clients.example", null).id();
    smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    camel = new DefaultCamelContext();
    camel.start();
  }

  SmtpMailer mailer() {
    return new SmtpMailer(
        camel,
        new SmtpSettings(
            "127.0.0.1",
            smtp.getSmtp().getPort(),
            null,
            null,
            "reminders@lindenhof.example",
            false,
            Duration.ofSeconds(10)));
  }

  NotificationSender sender(String worker, @Nullable String smsBase) {
    NotificationMessages messages =
        new NotificationMessages(
            practices, joinLinks, passLinks, true, InvitationFiles.NONE, "hub.example.org");
    return sender(worker, smsBase, messages);
  }

  NotificationSender sender(
      String worker, @Nullable String smsBase, NotificationMessages messages) {
    SmsGateway sms =
        smsBase == null
            ? null
            : new SmsGateway(
                new SmsSettings(
                    URI.create(smsBase), "gateway-token", "Lindenhof", Duration.ofSeconds(5)),
                clock);
    return new NotificationSender(
        store, book, messages, mailer(), sms, RETRY, Duration.ofSeconds(30), clock, worker);
  }

  UUID book(Instant start, Modality modality, List<UUID> clients) {
    BookingRequest r =
        new BookingRequest(
            provider.id(),
            clients,
            start,
            start.plus(FIFTY_MINUTES),
            BERLIN,
            modality,
            modality == Modality.TELEHEALTH ? VideoPlatform.ZOOM : null,
            "Intake: panic attacks");
    return book.book(practiceId, r, null).appointment().id();
  }

  void moveTo(UUID id, Instant start) {
    book.change(
        practiceId,
        id,
        new AppointmentPatch(start, start.plus(FIFTY_MINUTES), null, null, null, null, null, null),
        null);
  }

  void cancel(UUID id) {
    book.cancel(practiceId, id, null);
  }

  /** Hands every pending appointment change to the planner, as the outbox dispatcher does. */
  int plan() {
    int planned = 0;
    while (true) {
      List<AppointmentChange> batch = outbox.nextBatch(100);
      if (batch.isEmpty()) {
        return planned;
      }
      for (AppointmentChange change : batch) {
        assertThat(outbox.deliver(change.eventId(), planner.name(), planner::onChange))
            .isEqualTo(DeliveryOutcome.DELIVERED);
        outbox.markDelivered(change.eventId());
        planned++;
      }
    }
  }

  /** Claims and sends what is due for {@code sender} until nothing is; returns how many rows. */
  int drain(NotificationSender sender) {
    int worked = 0;
    for (int round = 0; round < 50; round++) {
      List<Notification> due = store.claimDue(10, sender.worker(), LEASE);
      if (due.isEmpty()) {
        return worked;
      }
      for (Notification n : due) {
        sender.send(n);
        worked++;
      }
    }
    throw new AssertionError("notifications never settled");
  }

  List<Notification> rows(UUID appointmentId) {
    return store.forAppointment(appointmentId);
  }

  List<Notification> rows(
      UUID appointmentId, Notification.Purpose purpose, Notification.Channel channel) {
    return rows(appointmentId).stream()
        .filter(n -> n.purpose() == purpose && n.channel() == channel)
        .toList();
  }

  /** The mail GreenMail received for {@code address}. */
  List<MimeMessage> mailTo(String address) {
    List<MimeMessage> found = new ArrayList<>();
    for (MimeMessage m : smtp.getReceivedMessages()) {
      try {
        if (Arrays.stream(m.getRecipients(Message.RecipientType.TO))
            .anyMatch(a -> a.toString().equals(address))) {
          found.add(m);
        }
      } catch (MessagingException e) {
        throw new AssertionError(e);
      }
    }
    return found;
  }

  /** The message's text/plain part. */
  static String text(MimeMessage m) {
    try {
      Object content = m.getContent();
      if (content instanceof String s) {
        return s;
      }
      Multipart parts = (Multipart) content;
      for (int i = 0; i < parts.getCount(); i++) {
        BodyPart p = parts.getBodyPart(i);
        if (p.isMimeType("text/plain")) {
          return (String) p.getContent();
        }
      }
      throw new AssertionError("no text part");
    } catch (MessagingException | IOException e) {
      throw new AssertionError(e);
    }
  }

  /** The message's text/calendar part: its content type and text; empty when it has none. */
  static Optional<String[]> calendar(MimeMessage m) {
    try {
      Object content = m.getContent();
      if (!(content instanceof Multipart parts)) {
        return Optional.empty();
      }
      for (int i = 0; i < parts.getCount(); i++) {
        BodyPart p = parts.getBodyPart(i);
        if (p.isMimeType("text/calendar")) {
          byte[] bytes = p.getInputStream().readAllBytes();
          return Optional.of(
              new String[] {p.getContentType(), new String(bytes, StandardCharsets.UTF_8)});
        }
      }
      return Optional.empty();
    } catch (MessagingException | IOException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() throws Exception {
    camel.close();
    smtp.stop();
    jdbc.sql("shutdown").update();
    migratingSession.close();
  }

  /** A UTC clock that stands still until a test moves it; safe to read from several threads. */
  static final class TestClock extends Clock {
    private volatile Instant now;

    TestClock(Instant start) {
      this.now = start;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    void set(Instant at) {
      now = at;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
