package org.sessionbridge.config.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sessionbridge.connector.google.fake.GoogleFake;
import org.sessionbridge.connector.microsoft.fake.GraphFake;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The demo profile starts with no configuration, seeds a week of sessions and says what to try. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
    properties = "spring.datasource.url=jdbc:h2:mem:demo-test;DB_CLOSE_DELAY=-1")
@ActiveProfiles("demo")
@ExtendWith(OutputCaptureExtension.class)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class DemoSandboxTest {

  static final int PORT = freePort();

  /** A port of its own, so that Google's push notifications reach this hub as in the demo. */
  @DynamicPropertySource
  static void port(DynamicPropertyRegistry registry) {
    registry.add("server.port", () -> PORT);
    registry.add("sessionbridge.public-base-url", () -> "http://localhost:" + PORT);
  }

  private static int freePort() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Autowired JdbcClient db;
  @Autowired GoogleFake google;
  @Autowired GraphFake graph;
  @Autowired DemoTelehealthTour telehealthTour;
  @Autowired com.icegreen.greenmail.util.GreenMail mailCatcher;

  @Test
  void seedsAPracticeAndPrintsTheNextCommands(CapturedOutput output) {
    assertThat(count("practice")).isEqualTo(1);
    assertThat(count("staff")).isEqualTo(2);
    assertThat(count("client")).isEqualTo(3);
    assertThat(count("appointment")).isGreaterThanOrEqualTo(15);
    assertThat(
            db.sql(
                    "select count(*) from appointment_client group by appointment_id order by 1 desc limit 1")
                .query(Long.class)
                .single())
        .as("a group session")
        .isEqualTo(3);
    assertThat(output.getOut())
        .contains("export KEY=sbk_")
        .contains("curl -s -X POST")
        .contains("/api/v1/appointments")
        .contains("Calendar feeds")
        .contains("/feeds/")
        .contains("/google-authorization");
  }

  /**
   * Runs last: the other tests read lines the demo prints once, early on. The mail catcher and the
   * database hold what happened whenever this test runs.
   */
  @Test
  @org.junit.jupiter.api.Order(Integer.MAX_VALUE)
  void aClientReceivesAReminderEmailInTheDemosMailCatcher() throws Exception {
    jakarta.mail.internet.MimeMessage reminder =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    java.util.Arrays.stream(mailCatcher.getReceivedMessages())
                        .filter(m -> subject(m).startsWith("Reminder:"))
                        .filter(m -> to(m).equals("jordan@client.example"))
                        .findFirst()
                        .orElse(null),
                java.util.Objects::nonNull);
    assertThat(reminder.getAllRecipients()).hasSize(1);
    assertThat(reminder.getAllRecipients()[0].toString()).isEqualTo("jordan@client.example");
    assertThat(subject(reminder)).startsWith("Reminder: Video session with Sam Rivera, LCSW at");
    assertThat(String.valueOf(reminder.getContent()))
        .contains("Join the video session: http://localhost:" + PORT + "/join/")
        .contains("check in with your first name");
    // One reminder for Jordan's session, not two (the telehealth tour's sessions are Alex's).
    assertThat(
            java.util.Arrays.stream(mailCatcher.getReceivedMessages())
                .filter(m -> subject(m).startsWith("Reminder:"))
                .filter(m -> to(m).equals("jordan@client.example"))
                .count())
        .isEqualTo(1);
  }

  private static String to(jakarta.mail.internet.MimeMessage m) {
    try {
      return m.getAllRecipients()[0].toString();
    } catch (jakarta.mail.MessagingException e) {
      throw new AssertionError(e);
    }
  }

  private static String subject(jakarta.mail.internet.MimeMessage m) {
    try {
      return String.valueOf(m.getSubject());
    } catch (jakarta.mail.MessagingException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void drChensGoogleCalendarGetsHerSessionsAndHerDentistBlocksHerTime() {
    // Each of her booked sessions (five Zoom, one Teams, five in person, and those the
    // telehealth tour books), one event each, in the in-process Google.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                google.events(DemoGoogle.MAYA).stream()
                        .filter(e -> !e.deleted())
                        .filter(e -> e.privateProperties().containsKey("sessionbridgeAppointment"))
                        .count()
                    == db.sql(
                            "select count(*) from appointment a join staff s on s.id ="
                                + " a.provider_id where s.email = :m and a.status = 'BOOKED'")
                        .param("m", DemoGoogle.MAYA)
                        .query(Long.class)
                        .single());
    assertThat(
            db.sql(
                    "select count(*) from appointment a join staff s on s.id = a.provider_id"
                        + " where s.email = :m")
                .param("m", DemoGoogle.MAYA)
                .query(Long.class)
                .single())
        .isGreaterThanOrEqualTo(11);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                db.sql(
                        "select count(*) from busy_block b join calendar_link l on l.id = b.link_id"
                            + " where l.kind = 'GOOGLE'")
                    .query(Long.class)
                    .single(),
            n -> n >= 1);
    // Then she drags one in Google (DemoCalendarTour); the hub moves it back and records it.
    // Asked of the database: the tour's printed lines may come before this test captures output.
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                db.sql(
                        "select count(distinct action) from calendar_audit where appointment_id in"
                            + " (select appointment_id from calendar_audit where action ="
                            + " 'MOVED_BY_OWNER') and action in ('MOVED_BY_OWNER', 'RESTORED')")
                    .query(Long.class)
                    .single(),
            n -> n == 2);
  }

  @Test
  void drChensTeamsSessionGetsATeamsMeetingWithTheLobbyEnforced() {
    // Graph makes the meeting with the tenant's lobby default; the hub reads it back and closes
    // the lobby at once, so wait for the hub's correction, not for the first answer.
    GraphFake.Meeting meeting =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> graph.meetings().stream().filter(m -> !m.deleted()).toList(),
                l -> l.size() == 1 && l.get(0).lobbyScope().equals("organizer"))
            .get(0);
    assertThat(meeting.dialInBypass()).isFalse();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                db.sql(
                        "select count(*) from meeting where meeting_platform = 'TEAMS'"
                            + " and waiting_room = 'ENFORCED'")
                    .query(Long.class)
                    .single(),
            n -> n == 1);
  }

  @Test
  void aClientBooksFromAvailabilityAndTheJoinLinkOpensOnlyAroundTheSession() {
    DemoTelehealthTour.Seen seen =
        await().atMost(Duration.ofSeconds(90)).until(telehealthTour::seen, s -> s != null);
    assertThat(seen.beforeWindow()).isEqualTo(425);
    assertThat(seen.insideWindowLocation()).contains("/j/"); // the demo Zoom's meeting
    assertThat(db.sql("select count(*) from working_section").query(Long.class).single())
        .isEqualTo(10);
  }

  private long count(String table) {
    return db.sql("select count(*) from " + table).query(Long.class).single();
  }
}
