package org.sessionbridge.routes.notification;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.sessionbridge.routes.notification.NotificationTestBed.INSTRUCTIONS;
import static org.sessionbridge.routes.notification.NotificationTestBed.LEASE;
import static org.sessionbridge.routes.notification.NotificationTestBed.LOCATION;
import static org.sessionbridge.routes.notification.NotificationTestBed.NINE;
import static org.sessionbridge.routes.notification.NotificationTestBed.calendar;
import static org.sessionbridge.routes.notification.NotificationTestBed.text;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sessionbridge.core.appointment.AppointmentStatus;
import org.sessionbridge.core.appointment.Modality;
import org.sessionbridge.core.join.JoinPass;
import org.sessionbridge.core.notification.Notification;
import org.sessionbridge.core.notification.Notification.Channel;
import org.sessionbridge.core.notification.Notification.Purpose;
import org.sessionbridge.core.notification.Notification.State;
import org.sessionbridge.core.notification.NotificationSettings;

/**
 * Sending: e-mail through a real SMTP server in this JVM (GreenMail), SMS through a WireMock
 * gateway, with a clock the test moves.
 */
class NotificationSendTest {

  static final String ALICE = "alice@clients.example";
  static final String BRUNO = "bruno@clients.example";
  static final String WEBER = "weber@lindenhof.example";

  NotificationTestBed bed;
  WireMockServer gateway;

  @BeforeEach
  void bed() throws Exception {
    bed = new NotificationTestBed();
    gateway = new WireMockServer(wireMockConfig().dynamicPort());
    gateway.start();
    gateway.stubFor(post(urlEqualTo("/v1/messages")).willReturn(aResponse().withStatus(202)));
  }

  @AfterEach
  void close() throws Exception {
    gateway.stop();
    bed.close();
  }

  String sms() {
    return gateway.baseUrl() + "/v1";
  }

  /** The .ics as the invitation renderer would give it: its METHOD follows the status. */
  NotificationMessages withInvitations() {
    return new NotificationMessages(
        bed.practices,
        bed.joinLinks,
        bed.passLinks,
        true,
        (practice, appointment, client) ->
            bed.book
                .find(practice, appointment)
                .map(
                    a ->
                        ("BEGIN:VCALENDAR\r\nMETHOD:"
                                + (a.status() == AppointmentStatus.CANCELLED ? "CANCEL" : "REQUEST")
                                + "\r\nX-FOR:"
                                + client
                                + "\r\nEND:VCALENDAR\r\n")
                            .getBytes(StandardCharsets.UTF_8)),
        "hub.example.org");
  }

  @Test
  void remindersGoOutAtTheirMomentAndNotBefore() {
    UUID id = bed.book(NINE, Modality.TELEHEALTH, List.of(bed.alice));
    bed.plan();
    NotificationSender sender = bed.sender("node-a", null);
    bed.drain(sender);
    assertThat(bed.mailTo(ALICE)).hasSize(1); // the confirmation

    bed.clock.set(NINE.minus(Duration.ofMinutes(20)).minusSeconds(1));
    assertThat(bed.drain(sender)).isZero();
    assertThat(bed.mailTo(ALICE)).hasSize(1);

    bed.clock.advance(Duration.ofSeconds(1));
    assertThat(bed.drain(sender)).isEqualTo(2); // the client's and the provider's reminder
    List<MimeMessage> alice = bed.mailTo(ALICE);
    assertThat(alice).hasSize(2);
    MimeMessage reminder = alice.get(1);
    String link =
        bed.passLinks
            .linkFor(bed.practiceId, id, JoinPass.Participant.CLIENT, bed.alice)
            .toString();
    assertThat(subject(reminder))
        .isEqualTo("Reminder: Video session with Dr. Weber at 10:00 AM")
        .doesNotContain("Alice");
    assertThat(text(reminder))
        .contains("Monday 4 March 2030 at 10:00 AM (Europe/Berlin)")
        .contains("Join the video session: " + link)
        .contains(INSTRUCTIONS)
        .doesNotContain("zoom.example") // the platform URL stays behind the time-boxed link
        .doesNotContain("panic"); // never the title
    assertThat(bed.rows(id, Purpose.REMINDER, Channel.EMAIL))
        .extracting(Notification::state, Notification::sentAt)
        .containsOnly(org.assertj.core.groups.Tuple.tuple(State.SENT, bed.clock.instant()));

    MimeMessage provider = bed.mailTo(WEBER).get(1);
    assertThat(subject(provider)).isEqualTo("Reminder: Video session – A.B. at 10:00 AM");
    assertThat(text(provider))
        .contains(
            bed.passLinks
                .linkFor(bed.practiceId, id, JoinPass.Participant.PROVIDER, bed.provider.id())
                .toString())
        .doesNotContain(link)
        .doesNotContain("Alice");
  }

  @Test
  void confirmationsAndNoticesCarryTheClientsInvitation() throws Exception {
    UUID id = bed.book(NINE, Modality.TELEHEALTH, List.of(bed.alice));
    bed.plan();
    NotificationSender sender = bed.sender("node-a", null, withInvitations());
    bed.drain(sender);
    MimeMessage confirmation = bed.mailTo(ALICE).get(0);
    assertThat(subject(confirmation)).startsWith("Confirmed: Video session with Dr. Weber on");
    assertThat(calendar(confirmation))
        .hasValueSatisfying(
            ics -> {
              assertThat(ics[0]).contains("text/calendar").contains("method=REQUEST");
              assertThat(ics[1]).contains("METHOD:REQUEST").contains("X-FOR:" + bed.alice);
            });
    assertThat(confirmation.getHeader("Message-ID")[0])
        .startsWith("<notification-")
        .endsWith("@hub.example.org>");
    // the provider's notice has no .ics: their calendar gets the session by push and feed
    assertThat(calendar(bed.mailTo(WEBER).get(0))).isEmpty();

    bed.moveTo(id, NINE.plus(Duration.ofHours(3)));
    bed.plan();
    bed.drain(sender);
    MimeMessage moved = bed.mailTo(ALICE).get(1);
    assertThat(subject(moved)).startsWith("Moved: Video session with Dr. Weber, now");
    assertThat(text(moved)).contains("at 1:00 PM (Europe/Berlin)");
    assertThat(calendar(moved))
        .hasValueSatisfying(ics -> assertThat(ics[0]).contains("method=REQUEST"));

    bed.cancel(id);
    bed.plan();
    bed.drain(sender);
    MimeMessage cancelled = bed.mailTo(ALICE).get(2);
    assertThat(subject(cancelled)).startsWith("Cancelled: Video session with Dr. Weber on");
    assertThat(calendar(cancelled))
        .hasValueSatisfying(
            ics -> {
              assertThat(ics[0]).contains("method=CANCEL");
              assertThat(ics[1]).contains("METHOD:CANCEL");
            });
    assertThat(text(cancelled)).doesNotContain("/join/");

    // no reminder for the cancelled session, at either time
    bed.clock.set(NINE.plus(Duration.ofHours(3)).minus(Duration.ofMinutes(5)));
    assertThat(bed.drain(sender)).isZero();
    assertThat(bed.mailTo(ALICE)).hasSize(3);
    assertThat(bed.rows(id, Purpose.REMINDER, Channel.EMAIL))
        .extracting(Notification::state)
        .containsOnly(State.SUPERSEDED);
  }

  @Test
  void aRescheduledSessionIsRemindedOnceAtItsNewTime() {
    UUID id = bed.book(NINE, Modality.TELEHEALTH, List.of(bed.alice));
    bed.plan();
    NotificationSender sender = bed.sender("node-a", null);
    bed.drain(sender);
    bed.moveTo(id, NINE.plus(Duration.ofHours(2)));
    bed.plan();
    bed.drain(sender);
    int before = bed.mailTo(ALICE).size(); // confirmation and the notice

    bed.clock.set(NINE.minus(Duration.ofMinutes(10))); // the old window: nothing
    assertThat(bed.drain(sender)).isZero();
    bed.clock.set(NINE.plus(Duration.ofHours(2)).minus(Duration.ofMinutes(20)));
    bed.drain(sender);
    bed.clock.advance(Duration.ofMinutes(10));
    bed.drain(sender);

    List<MimeMessage> mail = bed.mailTo(ALICE);
    assertThat(mail).hasSize(before + 1);
    assertThat(subject(mail.get(mail.size() - 1)))
        .isEqualTo("Reminder: Video session with Dr. Weber at 12:00 PM");
  }

  @Test
  void aMoveWhileTheReminderIsClaimedSupersedesItAndTheNewStartIsRemindedOnce() {
    UUID id = bed.book(NINE, Modality.TELEHEALTH, List.of(bed.alice));
    bed.plan();
    NotificationSender sender = bed.sender("node-a", null);
    bed.drain(sender);
    bed.clock.set(NINE.minus(Duration.ofMinutes(20)));
    List<Notification> claimed = bed.store.claimDue(10, sender.worker(), LEASE);
    assertThat(claimed).hasSize(2);

    // the session moves while the reminders are claimed; the planner leaves held rows alone
    bed.moveTo(id, NINE.plus(Duration.ofMinutes(30)));
    bed.plan();
    claimed.forEach(sender::send);

    assertThat(bed.rows(id, Purpose.REMINDER, Channel.EMAIL))
        .filteredOn(n -> n.sessionStart().equals(NINE))
        .extracting(Notification::state)
        .containsOnly(State.SUPERSEDED);
    bed.clock.set(NINE.plus(Duration.ofMinutes(10)));
    bed.drain(sender);
    assertThat(bed.mailTo(ALICE).stream().filter(m -> subject(m).startsWith("Reminder")))
        .singleElement()
        .satisfies(m -> assertThat(subject(m)).endsWith("at 10:30 AM"));
  }

  @Test
  void inPersonSessionsAreRemindedWithThePracticeAddress() {
    UUID id = bed.book(NINE, Modality.IN_PERSON, List.of(bed.alice));
    bed.plan();
    NotificationSender sender = bed.sender("node-a", null);
    bed.clock.set(NINE.minus(Duration.ofMinutes(20)));
    bed.drain(sender);

    MimeMessage reminder =
        bed.mailTo(ALICE).stream()
            .filter(m -> subject(m).startsWith("Reminder"))
            .findFirst()
            .orElseThrow();
    assertThat(subject(reminder)).isEqualTo("Reminder: Session with Dr. Weber at 10:00 AM");
    assertThat(text(reminder)).contains("in person at: " + LOCATION).doesNotContain("/join/");
    assertThat(bed.rows(id, Purpose.REMINDER, Channel.EMAIL))
        .extracting(Notification::state)
        .containsOnly(State.SENT);
  }

  @Test
  void aReminderThatCouldNotGoOutBeforeTheStartIsSkipped() {
    UUID id = bed.book(NINE, Modality.TELEHEALTH, List.of(bed.alice));
    bed.plan();
    bed.clock.set(NINE.plusSeconds(1)); // the hub was down through the whole window
    bed.drain(bed.sender("node-a", null));

    assertThat(bed.rows(id, Purpose.REMINDER, Channel.EMAIL))
        .extracting(Notification::state)
        .containsOnly(State.SKIPPED);
    assertThat(bed.mailTo(ALICE).stream().filter(m -> subject(m).startsWith("Reminder"))).isEmpty();
  }

  @Test
  void eachClientOfAGroupGetsTheirOwnLinkAndNoOtherClientsName() {
    bed.store.updateSettings(bed.practiceId, new NotificationSettings(20, true));
    UUID id = bed.book(NINE, Modality.TELEHEALTH, List.of(bed.alice, bed.bruno));
    bed.plan();
    NotificationSender sender = bed.sender("node-a", sms());
    bed.clock.set(NINE.minus(Duration.ofMinutes(20)));
    bed.drain(sender);

    String aliceLink =
        bed.passLinks
            .linkFor(bed.practiceId, id, JoinPass.Participant.CLIENT, bed.alice)
            .toString();
    String brunoLink =
        bed.passLinks
            .linkFor(bed.practiceId, id, JoinPass.Participant.CLIENT, bed.bruno)
            .toString();
    assertThat(aliceLink).isNotEqualTo(brunoLink);
    for (MimeMessage m : bed.mailTo(ALICE)) {
      assertThat(addresses(m)).containsExactly(ALICE);
      assertThat(text(m) + subject(m))
          .doesNotContain("Bruno")
          .doesNotContain(BRUNO)
          .doesNotContain(brunoLink);
    }
    for (MimeMessage m : bed.mailTo(BRUNO)) {
      assertThat(addresses(m)).containsExactly(BRUNO);
      assertThat(text(m) + subject(m))
          .doesNotContain("Alice")
          .doesNotContain(ALICE)
          .doesNotContain("+4915112345678")
          .doesNotContain(aliceLink);
    }
    assertThat(text(bed.mailTo(ALICE).get(bed.mailTo(ALICE).size() - 1))).contains(aliceLink);
    assertThat(text(bed.mailTo(BRUNO).get(bed.mailTo(BRUNO).size() - 1))).contains(brunoLink);
    assertThat(subject(bed.mailTo(WEBER).get(bed.mailTo(WEBER).size() - 1)))
        .isEqualTo("Reminder: Group video session (2 clients) at 10:00 AM");
    // Alice's text message carries her link only
    gateway.verify(
        1,
        postRequestedFor(urlEqualTo("/v1/messages"))
            .withRequestBody(
                com.github.tomakehurst.wiremock.client.WireMock.containing(aliceLink)));
    assertThat(gateway.getAllServeEvents())
        .allSatisfy(e -> assertThat(e.getRequest().getBodyAsString()).doesNotContain(brunoLink));
  }

  @Test
  void smsFollowsTheGatewayContract() {
    bed.store.updateSettings(bed.practiceId, new NotificationSettings(20, true));
    UUID id = bed.book(NINE, Modality.TELEHEALTH, List.of(bed.alice));
    bed.plan();
    bed.clock.set(NINE.minus(Duration.ofMinutes(20)));
    bed.drain(bed.sender("node-a", sms()));

    Notification row = bed.rows(id, Purpose.REMINDER, Channel.SMS).get(0);
    assertThat(row.state()).isEqualTo(State.SENT);
    String link =
        bed.passLinks
            .linkFor(bed.practiceId, id, JoinPass.Participant.CLIENT, bed.alice)
            .toString();
    gateway.verify(
        1,
        postRequestedFor(urlEqualTo("/v1/messages"))
            .withHeader("Authorization", equalTo("Bearer gateway-token"))
            .withHeader("Idempotency-Key", equalTo(row.id().toString()))
            .withHeader("Content-Type", equalTo("application/json"))
            .withRequestBody(
                equalToJson(
                    "{\"to\":\"+4915112345678\",\"from\":\"Lindenhof\",\"text\":\"Reminder: Video"
                        + " session with Dr. Weber at 10:00 AM (Europe/Berlin). Join: "
                        + link
                        + " "
                        + INSTRUCTIONS
                        + "\",\"reference\":\""
                        + row.id()
                        + "\"}")));
  }

  @Test
  void smsHonoursRetryAfterOn429AndRetries5xx() {
    bed.store.updateSettings(bed.practiceId, new NotificationSettings(20, true));
    gateway.resetAll();
    gateway.stubFor(
        post(urlEqualTo("/v1/messages"))
            .inScenario("busy")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "120"))
            .willSetStateTo("down"));
    gateway.stubFor(
        post(urlEqualTo("/v1/messages"))
            .inScenario("busy")
            .whenScenarioStateIs("down")
            .willReturn(aResponse().withStatus(503))
            .willSetStateTo("up"));
    gateway.stubFor(
        post(urlEqualTo("/v1/messages"))
            .inScenario("busy")
            .whenScenarioStateIs("up")
            .willReturn(aResponse().withStatus(201)));
    UUID id = bed.book(NINE, Modality.TELEHEALTH, List.of(bed.alice));
    bed.plan();
    NotificationSender sender = bed.sender("node-a", sms());
    bed.clock.set(NINE.minus(Duration.ofMinutes(20)));
    bed.drain(sender);

    Notification waiting = bed.rows(id, Purpose.REMINDER, Channel.SMS).get(0);
    assertThat(waiting.state()).isEqualTo(State.PENDING);
    assertThat(waiting.dueAt()).isEqualTo(bed.clock.instant().plusSeconds(120)); // > 10s backoff
    assertThat(waiting.lastError()).isEqualTo("SMS gateway answered HTTP 429");
    bed.clock.advance(Duration.ofSeconds(119));
    assertThat(bed.drain(sender)).isZero();
    bed.clock.advance(Duration.ofSeconds(1));
    bed.drain(sender); // 503: backoff of the second attempt (10s..20s)
    Notification again = bed.rows(id, Purpose.REMINDER, Channel.SMS).get(0);
    assertThat(again.state()).isEqualTo(State.PENDING);
    assertThat(again.lastError()).isEqualTo("SMS gateway answered HTTP 503");
    assertThat(Duration.between(bed.clock.instant(), again.dueAt()))
        .isBetween(Duration.ofSeconds(10), Duration.ofSeconds(20));
    bed.clock.set(again.dueAt());
    bed.drain(sender);

    Notification sent = bed.rows(id, Purpose.REMINDER, Channel.SMS).get(0);
    assertThat(sent.state()).isEqualTo(State.SENT);
    assertThat(sent.attempts()).isEqualTo(3);
    // every attempt carried the same key: the gateway sends it once
    assertThat(gateway.getAllServeEvents())
        .hasSize(3)
        .allSatisfy(
            e ->
                assertThat(e.getRequest().getHeader("Idempotency-Key"))
                    .isEqualTo(sent.id().toString()));
  }

  @Test
  void smsRefusedWithA4xxFailsWithTheReasonAndIsNotSentAgain() {
    bed.store.updateSettings(bed.practiceId, new NotificationSettings(20, true));
    gateway.resetAll();
    gateway.stubFor(
        post(urlEqualTo("/v1/messages"))
            .willReturn(
                aResponse().withStatus(400).withBody("{\"error\":\"+4915112345678 invalid\"}")));
    UUID id = bed.book(NINE, Modality.TELEHEALTH, List.of(bed.alice));
    bed.plan();
    NotificationSender sender = bed.sender("node-a", sms());
    bed.clock.set(NINE.minus(Duration.ofMinutes(20)));
    bed.drain(sender);
    bed.clock.advance(Duration.ofMinutes(5));
    bed.drain(sender);

    Notification row = bed.rows(id, Purpose.REMINDER, Channel.SMS).get(0);
    assertThat(row.state()).isEqualTo(State.FAILED);
    assertThat(row.lastError()).isEqualTo("SMS gateway refused: HTTP 400"); // no number echoed
    gateway.verify(1, postRequestedFor(urlEqualTo("/v1/messages")));
    // the e-mail reminder went out regardless
    assertThat(bed.rows(id, Purpose.REMINDER, Channel.EMAIL))
        .extracting(Notification::state)
        .containsOnly(State.SENT);
  }

  @Test
  void aCrashBetweenSendAndRecordSendsAgainOnceWithTheSameIdentity() {
    bed.store.updateSettings(bed.practiceId, new NotificationSettings(20, true));
    UUID id = bed.book(NINE, Modality.TELEHEALTH, List.of(bed.alice));
    bed.plan();
    bed.drain(bed.sender("node-a", sms())); // confirmations
    bed.clock.set(NINE.minus(Duration.ofMinutes(20)));

    // node-a claims the reminders, records the intent, sends, and dies before recording
    NotificationSender doomed = bed.sender("node-a", sms());
    List<Notification> claimed = bed.store.claimDue(10, doomed.worker(), LEASE);
    assertThat(claimed).hasSize(3);
    SmtpMailer mailer = bed.mailer();
    for (Notification n : claimed) {
      assertThat(bed.store.begin(n.id(), doomed.worker())).isTrue();
      Rendered r =
          new NotificationMessages(
                  bed.practices,
                  bed.joinLinks,
                  bed.passLinks,
                  true,
                  InvitationFiles.NONE,
                  "hub.example.org")
              .render(n, bed.book.find(bed.practiceId, id).orElseThrow());
      if (r instanceof Email email) {
        assertThat(mailer.send(email)).isInstanceOf(Delivery.Accepted.class);
      } else {
        assertThat(
                new SmsGateway(
                        new SmsSettings(
                            java.net.URI.create(sms()),
                            "gateway-token",
                            null,
                            Duration.ofSeconds(5)),
                        bed.clock)
                    .send((Sms) r))
            .isInstanceOf(Delivery.Accepted.class);
      }
    }
    // node-b waits for the lease, then takes the rows over
    NotificationSender survivor = bed.sender("node-b", sms());
    assertThat(bed.drain(survivor)).isZero();
    bed.clock.advance(LEASE.plusSeconds(1));
    assertThat(bed.drain(survivor)).isEqualTo(3);
    bed.clock.advance(Duration.ofMinutes(10));
    assertThat(bed.drain(survivor)).isZero();

    assertThat(bed.rows(id, Purpose.REMINDER, Channel.EMAIL))
        .extracting(Notification::state, Notification::attempts)
        .containsOnly(org.assertj.core.groups.Tuple.tuple(State.SENT, 2));
    // e-mail: at most one extra copy per crash, with the same Message-ID
    List<MimeMessage> reminders =
        bed.mailTo(ALICE).stream().filter(m -> subject(m).startsWith("Reminder")).toList();
    assertThat(reminders).hasSize(2);
    assertThat(messageId(reminders.get(0))).isEqualTo(messageId(reminders.get(1)));
    // SMS: both posts carry one Idempotency-Key, so the gateway delivers one message
    Notification smsRow = bed.rows(id, Purpose.REMINDER, Channel.SMS).get(0);
    assertThat(gateway.getAllServeEvents())
        .hasSize(2)
        .allSatisfy(
            e ->
                assertThat(e.getRequest().getHeader("Idempotency-Key"))
                    .isEqualTo(smsRow.id().toString()));
  }

  @Test
  void aNodeThatDiesAfterClaimingButBeforeSendingLosesNothingAndDoublesNothing() {
    UUID id = bed.book(NINE, Modality.TELEHEALTH, List.of(bed.alice, bed.bruno));
    bed.plan();
    bed.drain(bed.sender("node-a", null));
    bed.clock.set(NINE.minus(Duration.ofMinutes(20)));
    assertThat(bed.store.claimDue(10, "node-a", LEASE)).hasSize(3); // then node-a dies

    NotificationSender survivor = bed.sender("node-b", null);
    assertThat(bed.drain(survivor)).isZero(); // leased to node-a
    bed.clock.advance(LEASE.plusSeconds(1));
    assertThat(bed.drain(survivor)).isEqualTo(3);
    bed.clock.advance(Duration.ofMinutes(5));
    assertThat(bed.drain(survivor)).isZero();

    for (String who : List.of(ALICE, BRUNO, WEBER)) {
      assertThat(bed.mailTo(who).stream().filter(m -> subject(m).startsWith("Reminder")))
          .as(who)
          .hasSize(1);
    }
    assertThat(bed.rows(id, Purpose.REMINDER, Channel.EMAIL))
        .extracting(Notification::state, Notification::attempts)
        .containsOnly(org.assertj.core.groups.Tuple.tuple(State.SENT, 1));
  }

  @Test
  void aServerThatRefusesEveryRecipientIsARefusalAndAnythingElseIsRetried() {
    jakarta.mail.Address[] invalid = {dummyAddress()};
    assertThat(
            SmtpMailer.classify(
                new jakarta.mail.SendFailedException(
                    "550 no such user", null, null, null, invalid)))
        .isInstanceOf(Delivery.Refused.class);
    assertThat(SmtpMailer.classify(new jakarta.mail.MessagingException("connect")))
        .isInstanceOf(Delivery.Retry.class);
    assertThat(SmtpMailer.classify(new jakarta.mail.AuthenticationFailedException("535")))
        .isInstanceOf(Delivery.Retry.class);
  }

  @Test
  void withoutAnSmtpServerMailWaitsInsteadOfFailing() {
    UUID id = bed.book(NINE, Modality.TELEHEALTH, List.of(bed.alice));
    bed.plan();
    NotificationSender noServer =
        new NotificationSender(
            bed.store,
            bed.book,
            new NotificationMessages(
                bed.practices, bed.joinLinks, bed.passLinks, true, InvitationFiles.NONE, "h"),
            null,
            null,
            NotificationTestBed.RETRY,
            Duration.ofSeconds(30),
            bed.clock,
            "node-a");
    bed.drain(noServer);
    assertThat(bed.rows(id, Purpose.CONFIRMATION, Channel.EMAIL))
        .extracting(Notification::state, Notification::lastError)
        .containsOnly(
            org.assertj.core.groups.Tuple.tuple(State.PENDING, "no SMTP server configured"));
  }

  private static jakarta.mail.Address dummyAddress() {
    try {
      return new jakarta.mail.internet.InternetAddress("x@y.example");
    } catch (jakarta.mail.internet.AddressException e) {
      throw new AssertionError(e);
    }
  }

  static String subject(MimeMessage m) {
    try {
      return m.getSubject();
    } catch (jakarta.mail.MessagingException e) {
      throw new AssertionError(e);
    }
  }

  static String messageId(MimeMessage m) {
    try {
      return m.getMessageID();
    } catch (jakarta.mail.MessagingException e) {
      throw new AssertionError(e);
    }
  }

  static List<String> addresses(MimeMessage m) {
    try {
      List<String> all = new java.util.ArrayList<>();
      for (jakarta.mail.Address a : Optional.ofNullable(m.getAllRecipients()).orElseThrow()) {
        all.add(a.toString());
      }
      return all;
    } catch (jakarta.mail.MessagingException e) {
      throw new AssertionError(e);
    }
  }
}
