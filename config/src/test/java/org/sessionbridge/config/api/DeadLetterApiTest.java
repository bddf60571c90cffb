package org.sessionbridge.config.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.sessionbridge.config.api.HubClient.Answer;
import org.sessionbridge.core.appointment.AppointmentChange;
import org.sessionbridge.core.port.AppointmentChangeHandler;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.JsonNode;

/**
 * A handler that keeps failing: the event is retried with backoff, lands in the dead-letter store
 * with the handler and the reason, and an operator replay delivers it once the cause is fixed,
 * without calling the handler that had already succeeded a second time.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "sessionbridge.security.operator-key=" + DeadLetterApiTest.OPERATOR,
      "spring.datasource.url=jdbc:h2:mem:dead-letter-test;DB_CLOSE_DELAY=-1",
      "sessionbridge.outbox.poll-interval=20ms",
      "sessionbridge.outbox.max-attempts=3",
      "sessionbridge.outbox.initial-backoff=50ms",
      "sessionbridge.outbox.max-backoff=200ms"
    })
class DeadLetterApiTest {

  static final String OPERATOR = "dead-letter-operator-key-0123456789";
  static final AtomicBoolean vendorDown = new AtomicBoolean(true);
  static final Set<String> firstSaw = ConcurrentHashMap.newKeySet();
  static final List<String> firstCalls = new java.util.concurrent.CopyOnWriteArrayList<>();
  static final List<Long> vendorAttempts = new java.util.concurrent.CopyOnWriteArrayList<>();

  @LocalServerPort int port;

  @TestConfiguration
  static class Handlers {
    @Bean
    @org.springframework.core.annotation.Order(1)
    AppointmentChangeHandler recorder() {
      return new AppointmentChangeHandler() {
        @Override
        public String name() {
          return "recorder";
        }

        @Override
        public void onChange(AppointmentChange change) {
          firstCalls.add(change.appointmentId() + "/" + change.version());
          firstSaw.add(change.appointmentId() + "/" + change.version());
        }
      };
    }

    @Bean
    @org.springframework.core.annotation.Order(2)
    AppointmentChangeHandler flakyVendor() {
      return new AppointmentChangeHandler() {
        @Override
        public String name() {
          return "flaky-vendor";
        }

        @Override
        public void onChange(AppointmentChange change) {
          vendorAttempts.add(System.nanoTime());
          if (vendorDown.get()) {
            throw new IllegalStateException("vendor answered 503");
          }
        }
      };
    }
  }

  @Test
  void failingEventIsRetriedDeadLetteredAndReplayed() {
    HubClient hub = new HubClient(port);
    String id = hub.bookOneSession(OPERATOR, "Flaky");

    JsonNode dead =
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> hub.get("/api/v1/dead-letters", OPERATOR).json(), list -> list.size() == 1);
    JsonNode letter = dead.get(0);
    assertThat(letter.get("appointmentId").asString()).isEqualTo(id);
    assertThat(letter.get("attempts").asInt()).isEqualTo(3);
    assertThat(letter.get("handler").asString()).isEqualTo("flaky-vendor");
    assertThat(letter.get("reason").asString()).contains("IllegalStateException").contains("503");
    assertThat(vendorAttempts).hasSize(3);
    long firstGapMillis = (vendorAttempts.get(1) - vendorAttempts.get(0)) / 1_000_000;
    assertThat(firstGapMillis).as("backoff between attempts").isGreaterThanOrEqualTo(25);
    assertThat(hub.get("/api/v1/outbox", OPERATOR).json().get("dead").asLong()).isEqualTo(1);

    vendorDown.set(false);
    long eventId = letter.get("eventId").asLong();
    Answer replay = hub.post("/api/v1/dead-letters/" + eventId + "/replay", OPERATOR, null);
    assertThat(replay.status()).isEqualTo(202);
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> hub.get("/api/v1/outbox", OPERATOR).json().get("delivered").asLong() == 1);
    assertThat(hub.get("/api/v1/dead-letters", OPERATOR).json().size()).isZero();
    assertThat(firstCalls).as("the handler that succeeded is not called again").hasSize(1);
    assertThat(hub.post("/api/v1/dead-letters/" + eventId + "/replay", OPERATOR, null).status())
        .as("no longer a dead letter")
        .isEqualTo(404);
    assertThat(hub.post("/api/v1/dead-letters/999999/replay", OPERATOR, null).status())
        .isEqualTo(404);
  }
}
