package org.sessionbridge.config.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sessionbridge.config.api.HubClient.json;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sessionbridge.config.api.HubClient.Answer;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Time-boxed join links over a real socket: each participant has their own stable link, which
 * redirects to the platform only inside the window (15 minutes before the start until the end) and
 * otherwise answers a page saying why; client feeds and invitations carry the client's link, never
 * the platform URL; a group session's clients each get their own.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "sessionbridge.security.operator-key=" + JoinLinkTest.OPERATOR,
      "spring.datasource.url=jdbc:h2:mem:join-link-test;DB_CLOSE_DELAY=-1",
      "sessionbridge.public-base-url=https://hub.example.org"
    })
class JoinLinkTest {

  static final String OPERATOR = "join-link-test-operator-key-0123456789";
  static final String DOXY = "https://doxy.me/dr-lake-join-test";

  @LocalServerPort int port;

  HubClient hub;
  String key;
  String provider;
  String alex;
  String sam;

  @BeforeEach
  void aProviderWithALinkService() {
    hub = new HubClient(port);
    key =
        hub.post("/api/v1/practices", OPERATOR, json("name", "Lake", "timeZone", "UTC"))
            .json()
            .get("apiKey")
            .asString();
    provider =
        hub.post(
                "/api/v1/providers",
                key,
                json("name", "Dr Lake", "email", "lake@lake.example", "timeZone", "UTC"))
            .json()
            .get("id")
            .asString();
    hub.grantTelehealth(key, provider);
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
                        "Check in with your first name.",
                        "isDefault",
                        true))
                .status())
        .isEqualTo(201);
    hub.grantTelehealth(key, provider);
    alex = client("Alex Morgan", "alex@x.example");
    sam = client("Sam Client", "sam@x.example");
  }

  @Test
  void theLinkOpensTheRoomOnlyAroundTheSession() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    String soon = book(now.plus(Duration.ofMinutes(10)), now.plus(Duration.ofMinutes(60)), alex);
    String later = book(now.plus(Duration.ofHours(3)), now.plus(Duration.ofHours(4)), alex);

    String soonLink = clientLink(soon, alex);
    assertThat(soonLink).startsWith("https://hub.example.org/join/");
    Answer open = hub.get(path(soonLink), null);
    assertThat(open.status()).isEqualTo(302);
    assertThat(open.header("Location")).isEqualTo(DOXY);
    assertThat(open.header("Referrer-Policy")).isEqualTo("no-referrer");
    // The provider's own link works too, and is another link.
    assertThat(hub.get(path(link(soon, "PROVIDER", provider)), null).status()).isEqualTo(302);
    assertThat(link(soon, "PROVIDER", provider)).isNotEqualTo(soonLink);

    Answer early = hub.get(path(clientLink(later, alex)), null);
    assertThat(early.status()).isEqualTo(425);
    assertThat(early.contentType()).startsWith("text/html");
    assertThat(early.body()).contains("Not open yet").contains("UTC").doesNotContain(DOXY);
    assertThat(early.header("Location")).isNull();

    assertThat(hub.post("/api/v1/appointments/" + soon + "/cancel", key, null).status())
        .isEqualTo(200);
    Answer cancelled = hub.get(path(soonLink), null);
    assertThat(cancelled.status()).isEqualTo(410);
    assertThat(cancelled.body()).contains("cancelled").doesNotContain(DOXY);

    Answer unknown = hub.get("/join/not-a-token-anyone-was-given", null);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body()).contains("not valid");
  }

  @Test
  void eachClientOfAGroupHasTheirOwnStableLinkAndFeedsCarryIt() throws Exception {
    Instant start = Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.HOURS);
    String group = book(start, start.plus(Duration.ofMinutes(90)), alex, sam);

    // Asked at once from several threads: one link per client all the same.
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<String>> asks = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Callable<String> ask = () -> clientLink(group, alex);
      asks.add(pool.submit(ask));
    }
    String alexLink = asks.get(0).get();
    for (Future<String> f : asks) {
      assertThat(f.get()).isEqualTo(alexLink);
    }
    pool.shutdown();
    String samLink = clientLink(group, sam);
    assertThat(samLink).isNotEqualTo(alexLink);

    // Alex's feed and invitation carry Alex's link, not the platform URL and not Sam's.
    String feedUrl =
        hub.post("/api/v1/clients/" + alex + "/feeds", key, null).json().get("url").asString();
    String feed = hub.get(path(feedUrl), null).body();
    assertThat(feed.replace("\r\n ", "")).contains(alexLink).doesNotContain(samLink);
    assertThat(feed).doesNotContain("doxy.me");
    String invite =
        hub.get("/api/v1/appointments/" + group + "/invite.ics?clientId=" + sam, key).body();
    assertThat(invite.replace("\r\n ", "")).contains(samLink).doesNotContain(alexLink);
    assertThat(invite).doesNotContain("doxy.me");
    // The provider's feed keeps the platform's URL (staff join early, without a window).
    String providerFeedUrl =
        hub.post("/api/v1/providers/" + provider + "/feeds", key, null)
            .json()
            .get("url")
            .asString();
    assertThat(hub.get(path(providerFeedUrl), null).body().replace("\r\n ", "")).contains(DOXY);
  }

  @Test
  void anInPersonSessionHasNoJoinLinks() {
    Instant start = Instant.now().plus(Duration.ofDays(3)).truncatedTo(ChronoUnit.HOURS);
    String visit =
        hub.bookSession(
            key,
            provider,
            alex,
            start.toString(),
            start.plus(Duration.ofMinutes(50)).toString(),
            "IN_PERSON",
            null);
    Answer refused = hub.get("/api/v1/appointments/" + visit + "/join-links", key);
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.json().get("field").asString()).isEqualTo("modality");
  }

  private String book(Instant start, Instant end, String... clients) {
    Answer booked =
        hub.post(
            "/api/v1/appointments",
            key,
            json(
                "providerId",
                provider,
                "clientIds",
                List.of(clients),
                "start",
                start.toString(),
                "end",
                end.toString(),
                "timeZone",
                "UTC",
                "modality",
                "TELEHEALTH",
                "videoPlatform",
                "DOXY"));
    assertThat(booked.status()).as(booked.body()).isEqualTo(201);
    return booked.json().get("id").asString();
  }

  private String clientLink(String appointment, String client) {
    return link(appointment, "CLIENT", client);
  }

  private String link(String appointment, String participant, String id) {
    Answer links = hub.get("/api/v1/appointments/" + appointment + "/join-links", key);
    assertThat(links.status()).as(links.body()).isEqualTo(200);
    for (JsonNode l : links.json()) {
      if (l.get("participant").asString().equals(participant)
          && l.get("id").asString().equals(id)) {
        return l.get("url").asString();
      }
    }
    throw new AssertionError("no link for " + participant + " " + id + ": " + links.body());
  }

  private String client(String name, String email) {
    return hub.post("/api/v1/clients", key, json("name", name, "email", email))
        .json()
        .get("id")
        .asString();
  }

  /** The path of a hub URL (the public base URL is https://hub.example.org here). */
  private static String path(String url) {
    return java.net.URI.create(url).getRawPath();
  }
}
