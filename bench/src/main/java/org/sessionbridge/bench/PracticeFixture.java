package org.sessionbridge.bench;

import static org.sessionbridge.bench.BenchSupport.created;

import java.io.IOException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * One practice with its providers and clients, created through the API, and the request bodies the
 * load phases send. Appointment {@code n} gets a distinct hour (ten per day from 2030-01-07),
 * provider {@code n % providers} and client {@code n % clients}; every fourth is TELEHEALTH.
 */
final class PracticeFixture {

  static final int PROVIDERS = 20;
  static final int CLIENTS = 50;

  private static final ZoneId ZONE = ZoneId.of("America/New_York");
  private static final LocalDateTime FIRST = LocalDateTime.of(2030, 1, 7, 8, 0);
  private static final Duration LENGTH = Duration.ofMinutes(50);

  private final String apiKey;
  private final List<String> providerIds;
  private final List<String> clientIds;

  private PracticeFixture(String apiKey, List<String> providerIds, List<String> clientIds) {
    this.apiKey = apiKey;
    this.providerIds = List.copyOf(providerIds);
    this.clientIds = List.copyOf(clientIds);
  }

  static PracticeFixture create(HubApi api, String operatorKey)
      throws IOException, InterruptedException {
    String practice =
        created(
            api.post(
                "/api/v1/practices",
                operatorKey,
                "{\"name\":\"Bench Practice\",\"timeZone\":\"America/New_York\"}"),
            "POST /api/v1/practices");
    String key = HubApi.text(practice, "apiKey");
    List<String> providers = new ArrayList<>();
    for (int i = 0; i < PROVIDERS; i++) {
      String body =
          "{\"name\":\"Provider "
              + i
              + "\",\"email\":\"provider"
              + i
              + "@bench.example.org\",\"timeZone\":\"America/New_York\"}";
      String provider =
          HubApi.text(
              created(api.post("/api/v1/providers", key, body), "POST /api/v1/providers"), "id");
      // Telehealth bookings need a video service the provider offers and the telehealth role.
      created(
          api.post(
              "/api/v1/providers/" + provider + "/video-services",
              key,
              "{\"platform\":\"DOXY\",\"url\":\"https://doxy.me/bench-provider-" + i + "\"}"),
          "POST /api/v1/providers/{id}/video-services");
      api.grantTelehealth(key, provider);
      providers.add(provider);
    }
    List<String> clients = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      String body =
          "{\"name\":\"Client " + i + "\",\"email\":\"client" + i + "@bench.example.org\"}";
      clients.add(
          HubApi.text(
              created(api.post("/api/v1/clients", key, body), "POST /api/v1/clients"), "id"));
    }
    return new PracticeFixture(key, providers, clients);
  }

  String apiKey() {
    return apiKey;
  }

  String newAppointment(int n) {
    LocalDateTime start = slot(n);
    return "{\"providerId\":\""
        + providerIds.get(n % providerIds.size())
        + "\",\"clientIds\":[\""
        + clientIds.get(n % clientIds.size())
        + "\"],\"start\":\""
        + offset(start)
        + "\",\"end\":\""
        + offset(start.plus(LENGTH))
        + "\",\"timeZone\":\"America/New_York\",\"modality\":\""
        + (n % 4 == 3 ? "TELEHEALTH" : "IN_PERSON")
        + "\"}";
  }

  /** Moves appointment {@code n} a week later; the hub keeps its length. */
  String reschedule(int n) {
    return "{\"start\":\"" + offset(slot(n).plusWeeks(1)) + "\"}";
  }

  private static LocalDateTime slot(int n) {
    return FIRST.plusDays(n / 10).plusHours(n % 10);
  }

  private static String offset(LocalDateTime local) {
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(local.atZone(ZONE));
  }
}
