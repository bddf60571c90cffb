package org.sessionbridge.config.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.sessionbridge.config.api.HubClient.json;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sessionbridge.config.SessionBridgeApplication;
import org.sessionbridge.core.notification.Notification;
import org.sessionbridge.core.notification.NotificationStore;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import tools.jackson.databind.JsonNode;

/**
 * Reminders end to end, against a real SMTP server in this JVM (GreenMail) and the hub's own clock
 * moved by the test: the practice's settings over the API, confirmations with the client's real
 * invitation (METHOD:REQUEST), reminders at their moment with the client's own join link, and a
 * restart in the middle of the reminder window with rows held by the node that went away: no
 * reminder is lost and none is doubled (counted per recipient in GreenMail).
 */
class ReminderRestartTest {

  static final String OPERATOR = "reminder-restart-operator-key-0123456789";
  static final String DOXY = "https://doxy.me/dr-lake-reminders";
  static final String INSTRUCTIONS = "Check in with your first name.";
  static final AtomicReference<Duration> SHIFT = new AtomicReference<>(Duration.ZERO);

  static GreenMail smtp;
  static Path dataDir;

  @BeforeAll
  static void smtp() throws IOException {
    smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    dataDir = Files.createTempDirectory("reminder-restart");
  }

  @AfterAll
  static void stop() {
    smtp.stop();
  }

  /** Not a @Configuration: component scanning must not hand this clock to other tests. */
  static class ShiftedClock {
    @Bean
    @Primary
    Clock shiftedClock() {
      return new Clock() {
        @Override
        public Instant instant() {
          return Instant.now().plus(SHIFT.get());
        }

        @Override
        public ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
          return this;
        }
      };
    }
  }

  /** Command-line arguments: they win over application.yml (default properties would not). */
  static ConfigurableApplicationContext startHub() {
    return new SpringApplicationBuilder(SessionBridgeApplication.class, ShiftedClock.class)
        .run(
            "--server.port=0",
            "--sessionbridge.security.operator-key=" + OPERATOR,
            "--spring.datasource.url=jdbc:h2:file:"
                + dataDir.resolve("hub")
                + ";WRITE_DELAY=0;LOCK_TIMEOUT=10000;DB_CLOSE_ON_EXIT=FALSE",
            "--sessionbridge.public-base-url=https://hub.example.org",
            "--sessionbridge.notifications.poll-interval=100ms",
            "--sessionbridge.outbox.poll-interval=50ms",
            "--sessionbridge.notifications.smtp.host=127.0.0.1",
            "--sessionbridge.notifications.smtp.port=" + smtp.getSmtp().getPort(),
            "--sessionbridge.notifications.smtp.starttls=false",
            "--sessionbridge.notifications.smtp.from=reminders@lake.example");
  }

  static int port(ConfigurableApplicationContext hub) {
    return ((WebServerApplicationContext) hub).getWebServer().getPort();
  }

  @Test
  void remindersSurviveARestartInTheMiddleOfTheWindowWithoutLossOrDoubles() throws Exception {
    ConfigurableApplicationContext a = startHub();
    HubClient hub = new HubClient(port(a));
    String key =
        hub.post("/api/v1/practices", OPERATOR, json("name", "Lake", "timeZone", "UTC"))
            .json()
            .get("apiKey")
            .asString();

    // the practice's settings: 15..30 minutes, 422 naming the field otherwise
    HubClient.Answer tooShort =
        hub.put("/api/v1/practice/notifications", key, json("reminderMinutes", 14));
    assertThat(tooShort.status()).isEqualTo(422);
    assertThat(tooShort.body()).contains("reminderMinutes");
    assertThat(hub.put("/api/v1/practice/notifications", key, json("reminderMinutes", 31)).status())
        .isEqualTo(422);
    HubClient.Answer set =
        hub.put("/api/v1/practice/notifications", key, json("reminderMinutes", 20));
    assertThat(set.status()).isEqualTo(200);
    assertThat(hub.get("/api/v1/practice/notifications", key).json().get("reminderMinutes").asInt())
        .isEqualTo(20);
    assertThat(hub.get("/api/v1/practice/notifications", key).json().get("smsEnabled").asBoolean())
        .isFalse();

    String provider =
        hub.post(
                "/api/v1/providers",
                key,
                json("name", "Dr Lake", "email", "lake@lake.example", "timeZone", "UTC"))
            .json()
            .get("id")
            .asString();
    assertThat(
            hub.post(
                    "/api/v1/providers/" + provider + "/video-services",
                    key,
                    json(
                        "platform",
                        "DOXY",
                        "url",
                        DOXY,
                        "joinInstructions",
                        INSTRUCTIONS,
                        "isDefault",
                        true))
                .status())
        .isEqualTo(201);
    hub.grantTelehealth(key, provider);
    List<String> clients = new ArrayList<>();
    List<String> sessions = new ArrayList<>();
    Instant now = Instant.now().plus(SHIFT.get()).truncatedTo(ChronoUnit.MINUTES);
    for (int i = 0; i < 4; i++) {
      String client =
          hub.post(
                  "/api/v1/clients",
                  key,
                  json("name", "Client Number" + i, "email", "client" + i + "@x.example"))
              .json()
              .get("id")
              .asString();
      clients.add(client);
      // reminders due at +10, +15, +20 and +25 minutes
      Instant start = now.plus(Duration.ofMinutes(30 + 5L * i));
      sessions.add(book(hub, key, provider, client, start));
    }
    awaitStates(hub, key, sessions, "CONFIRMATION", "SENT", 2);
    MimeMessage confirmation = only(mailTo("client0@x.example"));
    assertThat(confirmation.getSubject()).startsWith("Confirmed: Video session with Dr Lake on");
    String[] ics = calendarPart(confirmation);
    assertThat(ics[0]).contains("method=REQUEST");
    assertThat(ics[1]).contains("METHOD:REQUEST").doesNotContain("client1@x.example");
    String link = clientLink(hub, key, sessions.get(0), clients.get(0));
    assertThat(text(confirmation)).contains(link).contains(INSTRUCTIONS);
    assertThat(ics[1].replace("\r\n ", "")).contains(link);

    // the first reminder at its moment, not before
    SHIFT.set(SHIFT.get().plus(Duration.ofMinutes(9)));
    Thread.sleep(500);
    assertThat(reminders("client0@x.example")).isEmpty();
    SHIFT.set(SHIFT.get().plus(Duration.ofMinutes(1)));
    await().atMost(Duration.ofSeconds(20)).until(() -> reminders("client0@x.example").size() == 1);
    MimeMessage reminder = reminders("client0@x.example").get(0);
    assertThat(reminder.getSubject()).startsWith("Reminder: Video session with Dr Lake at");
    assertThat(text(reminder)).contains("Join the video session: " + link).contains(INSTRUCTIONS);
    assertThat(text(reminder)).doesNotContain(DOXY); // behind the time-boxed link

    // node A stops sending; the second and third reminders become due and a node claims them
    // and goes away with them (its leases still run); then A is shut down mid-window
    a.getBean(CamelContext.class).getRouteController().stopRoute("notification-send");
    SHIFT.set(SHIFT.get().plus(Duration.ofMinutes(10)));
    List<Notification> held =
        a.getBean(NotificationStore.class).claimDue(50, "node-that-died", Duration.ofMinutes(2));
    assertThat(held)
        .extracting(Notification::purpose)
        .containsOnly(Notification.Purpose.REMINDER)
        .hasSize(4); // clients 1 and 2 and the provider's two
    a.close();

    ConfigurableApplicationContext b = startHub();
    try {
      HubClient hubB = new HubClient(port(b));
      Thread.sleep(1000);
      assertThat(reminders("client1@x.example")).isEmpty(); // still leased to the dead node
      SHIFT.set(SHIFT.get().plus(Duration.ofMinutes(2)).plusSeconds(5));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  reminders("client1@x.example").size() == 1
                      && reminders("client2@x.example").size() == 1);
      SHIFT.set(SHIFT.get().plus(Duration.ofMinutes(5))); // the fourth reminder's moment
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> reminders("client3@x.example").size() == 1);
      awaitStates(hubB, key, sessions, "REMINDER", "SENT", 2);
      SHIFT.set(SHIFT.get().plus(Duration.ofMinutes(30)));
      Thread.sleep(1000);

      for (int i = 0; i < 4; i++) {
        String address = "client" + i + "@x.example";
        assertThat(reminders(address)).as(address).hasSize(1);
        assertThat(mailTo(address)).as(address).hasSize(2); // confirmation + reminder
        assertThat(text(reminders(address).get(0)))
            .contains(clientLink(hubB, key, sessions.get(i), clients.get(i)));
      }
      assertThat(reminders("lake@lake.example")).hasSize(4);
      for (String session : sessions) {
        JsonNode rows = hubB.get("/api/v1/appointments/" + session + "/notifications", key).json();
        assertThat(rows).hasSize(4);
        for (JsonNode row : rows) {
          assertThat(row.get("state").asString()).isEqualTo("SENT");
          assertThat(row.get("attempts").asInt()).isEqualTo(1);
          assertThat(row.has("subject") || row.has("text") || row.has("email")).isFalse();
        }
      }
      // another practice's key sees nothing of it
      String other =
          hubB.post("/api/v1/practices", OPERATOR, json("name", "Other", "timeZone", "UTC"))
              .json()
              .get("apiKey")
              .asString();
      assertThat(
              hubB.get("/api/v1/appointments/" + sessions.get(0) + "/notifications", other)
                  .status())
          .isEqualTo(404);
    } finally {
      b.close();
    }
  }

  private static String book(
      HubClient hub, String key, String provider, String client, Instant start) {
    HubClient.Answer booked =
        hub.post(
            "/api/v1/appointments",
            key,
            json(
                "providerId",
                provider,
                "clientIds",
                List.of(client),
                "start",
                start.toString(),
                "end",
                start.plus(Duration.ofMinutes(50)).toString(),
                "timeZone",
                "UTC",
                "modality",
                "TELEHEALTH",
                "videoPlatform",
                "DOXY",
                "force",
                true));
    assertThat(booked.status()).as(booked.body()).isEqualTo(201);
    return booked.json().get("id").asString();
  }

  private static void awaitStates(
      HubClient hub, String key, List<String> sessions, String purpose, String state, int each) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              for (String s : sessions) {
                long n = 0;
                for (JsonNode row :
                    hub.get("/api/v1/appointments/" + s + "/notifications", key).json()) {
                  if (row.get("purpose").asString().equals(purpose)
                      && row.get("state").asString().equals(state)) {
                    n++;
                  }
                }
                if (n != each) {
                  return false;
                }
              }
              return true;
            });
  }

  private static String clientLink(HubClient hub, String key, String session, String client) {
    for (JsonNode l : hub.get("/api/v1/appointments/" + session + "/join-links", key).json()) {
      if (l.get("participant").asString().equals("CLIENT")
          && l.get("id").asString().equals(client)) {
        return l.get("url").asString();
      }
    }
    throw new AssertionError("no link for the client");
  }

  static List<MimeMessage> mailTo(String address) throws MessagingException {
    List<MimeMessage> found = new ArrayList<>();
    for (MimeMessage m : smtp.getReceivedMessages()) {
      if (m.getRecipients(Message.RecipientType.TO)[0].toString().equals(address)) {
        found.add(m);
      }
    }
    return found;
  }

  static List<MimeMessage> reminders(String address) throws MessagingException {
    List<MimeMessage> found = new ArrayList<>();
    for (MimeMessage m : mailTo(address)) {
      if (m.getSubject().startsWith("Reminder:")) {
        found.add(m);
      }
    }
    return found;
  }

  static MimeMessage only(List<MimeMessage> messages) {
    assertThat(messages).hasSize(1);
    return messages.get(0);
  }

  static String text(MimeMessage m) throws MessagingException, IOException {
    Object content = m.getContent();
    if (content instanceof String s) {
      return s;
    }
    return String.valueOf(((Multipart) content).getBodyPart(0).getContent());
  }

  static String[] calendarPart(MimeMessage m) throws MessagingException, IOException {
    Multipart parts = (Multipart) m.getContent();
    for (int i = 0; i < parts.getCount(); i++) {
      BodyPart p = parts.getBodyPart(i);
      if (p.isMimeType("text/calendar")) {
        return new String[] {
          p.getContentType(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
        };
      }
    }
    throw new AssertionError("no calendar part");
  }
}
