package org.sessionbridge.config.feeds;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Feeds and invitations end to end over the socket: issue, fetch, conditional requests, privacy,
 * reschedule and cancel showing up, revocation, guessing, the subscribe page, and the bytes checked
 * by parsers nobody on this project wrote (ics-validate, vdirsyncer).
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "sessionbridge.security.operator-key=" + FeedEndpointTest.OPERATOR,
      "spring.datasource.url=jdbc:h2:mem:feed-test;DB_CLOSE_DELAY=-1",
      "sessionbridge.outbox.poll-interval=20ms",
      "sessionbridge.feeds.misses-per-minute=1000"
    })
@ExtendWith(OutputCaptureExtension.class)
class FeedEndpointTest {

  static final String OPERATOR = "feed-test-operator-key-0123456789abc";
  static final JsonMapper JSON = JsonMapper.builder().build();

  @LocalServerPort int port;
  @Autowired JdbcClient db;
  final HttpClient http = HttpClient.newHttpClient();

  String key;
  String provider;
  String alice;
  String bob;
  String telehealth;
  String inPerson;
  String group;

  @BeforeEach
  void aPracticeWithSessions() {
    key =
        post(
                "/api/v1/practices",
                OPERATOR,
                "{\"name\":\"Harbor Counseling\",\"timeZone\":\"America/New_York\"}")
            .get("apiKey")
            .asString();
    patch("/api/v1/practice", "{\"location\":\"12 Harbor St, Suite 3; Portland, ME\"}");
    provider =
        id(
            post(
                "/api/v1/providers",
                key,
                "{\"name\":\"Dr. Maya Chen\",\"email\":\"maya@harbor.example\",\"timeZone\":\"America/New_York\"}"));
    String owner =
        id(
            post(
                "/api/v1/providers",
                key,
                "{\"name\":\"Owner\",\"email\":\"owner@harbor.example\",\"timeZone\":\"UTC\",\"role\":\"OWNER\"}"));
    send(
        HttpRequest.newBuilder(
                URI.create(base() + "/api/v1/providers/" + provider + "/telehealth-role"))
            .header("Authorization", "Bearer " + key)
            .header("X-Acting-Staff", owner)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build());
    post(
        "/api/v1/providers/" + provider + "/video-services",
        key,
        "{\"platform\":\"DOXY\",\"url\":\"https://doxy.me/drchen\",\"joinInstructions\":\"Check in with your first name; wait to be admitted.\"}");
    alice =
        id(
            post(
                "/api/v1/clients",
                key,
                "{\"name\":\"Alice Morgan\",\"email\":\"alice@client.example\"}"));
    bob =
        id(
            post(
                "/api/v1/clients",
                key,
                "{\"name\":\"Bob Stone\",\"email\":\"bob@client.example\"}"));
    String tomorrow = java.time.LocalDate.now().plusDays(1).toString();
    // 2 h before a DST change is not reachable from "now"; the renderer test covers DST edges.
    telehealth =
        id(
            book(
                List.of(alice),
                tomorrow + "T10:00:00-05:00",
                tomorrow + "T10:50:00-05:00",
                "TELEHEALTH"));
    inPerson =
        id(
            book(
                List.of(bob),
                tomorrow + "T14:00:00-05:00",
                tomorrow + "T14:50:00-05:00",
                "IN_PERSON"));
    group =
        id(
            book(
                List.of(alice, bob),
                tomorrow + "T17:00:00-05:00",
                tomorrow + "T18:30:00-05:00",
                "IN_PERSON"));
  }

  @Test
  void providerFeedServesEverySessionWithInitialsOnly() {
    JsonNode issued =
        post("/api/v1/providers/" + provider + "/feeds", key, "{\"label\":\"phone\"}");
    assertThat(issued.get("url").asString())
        .matches("http://localhost:8080/feeds/[A-Za-z0-9_-]{32}\\.ics");
    assertThat(issued.get("webcalUrl").asString()).startsWith("webcal://localhost:8080/feeds/");
    HttpResponse<String> feed = get(local(issued), Map.of());
    assertThat(feed.statusCode()).isEqualTo(200);
    assertThat(feed.headers().firstValue("Content-Type").orElseThrow())
        .isEqualToIgnoringCase("text/calendar;charset=UTF-8");
    assertThat(feed.headers().firstValue("Cache-Control").orElseThrow())
        .contains("private")
        .doesNotContain("public");
    assertThat(feed.headers().firstValue("Referrer-Policy")).contains("no-referrer");
    assertThat(feed.headers().firstValue("X-Robots-Tag").orElseThrow()).contains("noindex");
    assertThat(feed.headers().firstValue("ETag").orElseThrow())
        .startsWith("\"")
        .doesNotStartWith("W/");
    assertThat(feed.headers().firstValue("Last-Modified")).isPresent();
    String body = feed.body();
    assertThat(count(body, "BEGIN:VEVENT")).isEqualTo(3);
    assertThat(body)
        .contains("SUMMARY:Video session – A.M.")
        .contains("SUMMARY:Session – B.S.")
        .contains("SUMMARY:Group session (2 clients)")
        .contains("CONFERENCE;VALUE=URI;FEATURE=VIDEO")
        .contains("https://doxy.me/drchen")
        .doesNotContain("Alice")
        .doesNotContain("alice@client.example")
        .doesNotContain("Morgan");
    assertThat(unfold(body)).contains("LOCATION:12 Harbor St\\, Suite 3\\; Portland\\, ME");
  }

  @Test
  void clientFeedListsOnlyThatClientsSessionsAndNoOtherClient() {
    String body = get(local(post("/api/v1/clients/" + bob + "/feeds", key, null)), Map.of()).body();
    assertThat(count(body, "BEGIN:VEVENT")).isEqualTo(2);
    assertThat(body)
        .contains("SUMMARY:Session with Dr. Maya Chen")
        .contains("SUMMARY:Group session with Dr. Maya Chen")
        .doesNotContain("A.M.")
        .doesNotContain("Alice")
        .doesNotContain("doxy.me");
  }

  @Test
  void conditionalRequestsAnswer304OnlyWhenNothingChanged() {
    String url = local(post("/api/v1/providers/" + provider + "/feeds", key, null));
    HttpResponse<String> first = get(url, Map.of());
    String etag = first.headers().firstValue("ETag").orElseThrow();
    String lastModified = first.headers().firstValue("Last-Modified").orElseThrow();
    assertThat(get(url, Map.of()).body()).as("byte-stable").isEqualTo(first.body());
    try {
      HttpResponse<String> head =
          http.send(
              HttpRequest.newBuilder(URI.create(url))
                  .method("HEAD", HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(head.headers().firstValue("ETag")).contains(etag);
      assertThat(head.headers().firstValue("Content-Length"))
          .contains(Integer.toString(first.body().getBytes(StandardCharsets.UTF_8).length));
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }

    HttpResponse<String> byTag = get(url, Map.of("If-None-Match", etag));
    assertThat(byTag.statusCode()).isEqualTo(304);
    assertThat(byTag.body()).isEmpty();
    assertThat(byTag.headers().firstValue("ETag")).contains(etag);
    assertThat(get(url, Map.of("If-None-Match", "\"something-else\"")).statusCode()).isEqualTo(200);
    assertThat(get(url, Map.of("If-Modified-Since", lastModified)).statusCode()).isEqualTo(304);
    assertThat(get(url, Map.of("If-Modified-Since", "Mon, 01 Jan 2001 00:00:00 GMT")).statusCode())
        .isEqualTo(200);
    assertThat(get(url, Map.of("If-Modified-Since", "not a date")).statusCode()).isEqualTo(200);
    assertThat(
            get(url, Map.of("If-None-Match", "\"other\"", "If-Modified-Since", lastModified))
                .statusCode())
        .as("If-None-Match wins over If-Modified-Since")
        .isEqualTo(200);
  }

  @Test
  void rescheduleAndCancelReachTheFeedWithTheSameUidAndAHigherSequence() {
    String url = local(post("/api/v1/providers/" + provider + "/feeds", key, null));
    HttpResponse<String> before = get(url, Map.of());
    String uid = uidOf(before.body(), "A.M.");
    String etag = before.headers().firstValue("ETag").orElseThrow();

    String tomorrow = java.time.LocalDate.now().plusDays(1).toString();
    patch("/api/v1/appointments/" + telehealth, "{\"start\":\"" + tomorrow + "T11:00:00-05:00\"}");
    HttpResponse<String> moved =
        Awaitility.await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> get(url, Map.of("If-None-Match", etag)), r -> r.statusCode() == 200);
    String event = eventWithUid(moved.body(), uid);
    assertThat(event)
        .contains("SEQUENCE:1")
        .contains("DTSTART:" + tomorrow.replace("-", "") + "T160000Z");

    post("/api/v1/appointments/" + telehealth + "/cancel", key, null);
    String cancelled =
        Awaitility.await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> eventWithUid(get(url, Map.of()).body(), uid),
                e -> e.contains("STATUS:CANCELLED"));
    assertThat(cancelled).contains("SEQUENCE:2").contains("SUMMARY:Cancelled: ");
  }

  @Test
  void revokedFeedsAnswer410AndUnknownOnes404(CapturedOutput output) throws Exception {
    JsonNode issued = post("/api/v1/providers/" + provider + "/feeds", key, null);
    String url = local(issued);
    assertThat(get(url, Map.of()).statusCode()).isEqualTo(200);
    HttpResponse<String> deleted =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(base() + "/api/v1/feeds/" + issued.get("id").asString()))
                .header("Authorization", "Bearer " + key)
                .DELETE()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(deleted.statusCode()).isEqualTo(204);
    HttpResponse<String> gone = get(url, Map.of());
    assertThat(gone.statusCode()).isEqualTo(410);
    assertThat(gone.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/problem+json");
    HttpResponse<String> unknown =
        get(base() + "/feeds/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics", Map.of());
    assertThat(unknown.statusCode()).isEqualTo(404);
    // Revoked feeds are never answered from memory (that would make 410 measurably faster than
    // 404 and tell a guesser the secret once existed): with the row gone, the answer is 404.
    assertThat(get(url, Map.of()).statusCode()).isEqualTo(410);
    db.sql("delete from feed where id = :id")
        .param("id", UUID.fromString(issued.get("id").asString()))
        .update();
    assertThat(get(url, Map.of()).statusCode()).isEqualTo(404);

    String secret = url.substring(url.lastIndexOf('/') + 1, url.length() - 4);
    String metrics = get(base() + "/actuator/prometheus", Map.of()).body();
    assertThat(metrics)
        .contains("sessionbridge_feeds_requests_total{status=\"410\"}")
        .contains("sessionbridge_feeds_requests_total{status=\"200\"}");
    assertThat(metrics).doesNotContain(secret);
    assertThat(output.getAll()).doesNotContain(secret);
  }

  @Test
  void rotationReplacesTheSecret() {
    JsonNode issued = post("/api/v1/clients/" + alice + "/feeds", key, null);
    JsonNode rotated = post("/api/v1/feeds/" + issued.get("id").asString() + "/rotate", key, null);
    assertThat(get(local(issued), Map.of()).statusCode()).isEqualTo(410);
    assertThat(get(local(rotated), Map.of()).statusCode()).isEqualTo(200);
    assertThat(rotated.get("url").asString()).isNotEqualTo(issued.get("url").asString());
  }

  @Test
  void subscribePageOffersEveryCalendarAndAQrCodeAndLoadsNothingElse() {
    JsonNode issued = post("/api/v1/clients/" + alice + "/feeds", key, null);
    String page = issued.get("subscribeUrl").asString().replace("http://localhost:8080", base());
    HttpResponse<String> answer = get(page, Map.of());
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
    assertThat(answer.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("default-src 'none'");
    assertThat(answer.headers().firstValue("Referrer-Policy")).contains("no-referrer");
    assertThat(answer.body())
        .contains("Add to Apple Calendar")
        .contains("webcal://localhost:8080/feeds/")
        .contains("Add to Google Calendar")
        .contains("https://calendar.google.com/calendar/render?cid=webcal")
        .contains("Add to Outlook")
        .contains("<svg")
        .doesNotContain("<script")
        .doesNotContain("src=\"http");
  }

  @Test
  void invitationIsARequestThenACancelForOneClient() {
    HttpResponse<String> invite =
        get(
            base() + "/api/v1/appointments/" + telehealth + "/invite.ics",
            Map.of("Authorization", "Bearer " + key));
    assertThat(invite.statusCode()).isEqualTo(200);
    // Parameter order is free (RFC 2045); the method must be there, uppercase, equal to the body's.
    assertThat(invite.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("text/calendar")
        .contains("method=REQUEST")
        .containsIgnoringCase("charset=UTF-8");
    String body = unfold(invite.body());
    assertThat(body)
        .contains("METHOD:REQUEST")
        .contains("ORGANIZER;CN=Dr. Maya Chen:mailto:maya@harbor.example")
        .contains("mailto:alice@client.example")
        .doesNotContain("X-WR-CALNAME");
    HttpResponse<String> groupWithoutClient =
        get(
            base() + "/api/v1/appointments/" + group + "/invite.ics",
            Map.of("Authorization", "Bearer " + key));
    assertThat(groupWithoutClient.statusCode()).isEqualTo(400);
    HttpResponse<String> forBob =
        get(
            base() + "/api/v1/appointments/" + group + "/invite.ics?clientId=" + bob,
            Map.of("Authorization", "Bearer " + key));
    assertThat(forBob.body()).contains("bob@client.example").doesNotContain("alice@client.example");

    post("/api/v1/appointments/" + telehealth + "/cancel", key, null);
    HttpResponse<String> cancel =
        get(
            base() + "/api/v1/appointments/" + telehealth + "/invite.ics",
            Map.of("Authorization", "Bearer " + key));
    assertThat(cancel.headers().firstValue("Content-Type").orElseThrow()).contains("method=CANCEL");
    assertThat(cancel.body()).contains("METHOD:CANCEL").contains("STATUS:CANCELLED");
  }

  @Test
  void servedFeedsPassIcsValidate() throws Exception {
    Path tool = Path.of("..", "..", "shared", "tools", "ics-validate").toAbsolutePath().normalize();
    boolean ci = "true".equals(System.getenv("CI"));
    if (!ci) {
      Assumptions.assumeTrue(
          Files.isExecutable(tool) || Files.exists(tool), "ics-validate not found at " + tool);
    }
    patch("/api/v1/appointments/" + inPerson, "{\"title\":\"x\"}");
    post("/api/v1/appointments/" + group + "/cancel", key, null);
    List<String> urls = new ArrayList<>();
    urls.add(local(post("/api/v1/providers/" + provider + "/feeds", key, null)));
    urls.add(local(post("/api/v1/clients/" + alice + "/feeds", key, null)));
    Path invite = Files.createTempFile("invite", ".ics");
    Files.write(
        invite,
        get(
                base() + "/api/v1/appointments/" + telehealth + "/invite.ics",
                Map.of("Authorization", "Bearer " + key))
            .body()
            .getBytes(StandardCharsets.UTF_8));
    List<String> command = new ArrayList<>(List.of("bash", tool.toString()));
    command.addAll(urls);
    command.add(invite.toString());
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }

  @Test
  void vdirsyncerSubscriptionSyncsEveryEvent(@TempDir Path dir) throws Exception {
    boolean present =
        Stream.of(System.getenv("PATH").split(":"))
            .anyMatch(d -> Files.isExecutable(Path.of(d, "vdirsyncer")));
    if (!"true".equals(System.getenv("CI"))) {
      Assumptions.assumeTrue(present, "vdirsyncer is not installed (CI installs it)");
    }
    String url = local(post("/api/v1/providers/" + provider + "/feeds", key, null));
    Path local = Files.createDirectories(dir.resolve("local"));
    Files.createDirectories(dir.resolve("status"));
    Path config = dir.resolve("config");
    Files.writeString(
        config,
        "[general]\nstatus_path = \""
            + dir.resolve("status")
            + "/\"\n\n"
            + "[pair feed]\na = \"feed_remote\"\nb = \"feed_local\"\ncollections = null\nconflict_resolution = \"a wins\"\n\n"
            + "[storage feed_remote]\ntype = \"http\"\nurl = \""
            + url
            + "\"\n\n"
            + "[storage feed_local]\ntype = \"filesystem\"\npath = \""
            + local
            + "/\"\nfileext = \".ics\"\n");
    for (List<String> cmd :
        List.of(
            List.of("vdirsyncer", "-c", config.toString(), "discover"),
            List.of("vdirsyncer", "-c", config.toString(), "sync"))) {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isZero();
    }
    try (Stream<Path> files = Files.list(local)) {
      assertThat(files.filter(f -> f.toString().endsWith(".ics")).count()).isEqualTo(3);
    }
  }

  // ---- helpers ------------------------------------------------------------------------------

  String base() {
    return "http://127.0.0.1:" + port;
  }

  String local(JsonNode issued) {
    return issued.get("url").asString().replace("http://localhost:8080", base());
  }

  JsonNode book(List<String> clients, String start, String end, String modality) {
    StringBuilder ids = new StringBuilder();
    for (String c : clients) {
      ids.append(ids.length() == 0 ? "" : ",").append('"').append(c).append('"');
    }
    return post(
        "/api/v1/appointments",
        key,
        "{\"providerId\":\""
            + provider
            + "\",\"clientIds\":["
            + ids
            + "],\"start\":\""
            + start
            + "\",\"end\":\""
            + end
            + "\",\"timeZone\":\"America/New_York\",\"modality\":\""
            + modality
            + "\"}");
  }

  static String id(JsonNode node) {
    return node.get("id").asString();
  }

  JsonNode post(String path, String bearer, String body) {
    return send(
        HttpRequest.newBuilder(URI.create(base() + path))
            .header("Authorization", "Bearer " + bearer)
            .header("Content-Type", "application/json")
            .POST(
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  JsonNode patch(String path, String body) {
    return send(
        HttpRequest.newBuilder(URI.create(base() + path))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .method("PATCH", HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  JsonNode send(HttpRequest request) {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(request.uri() + " " + r.body()).isBetween(200, 299);
      return JSON.readTree(r.body());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<String> get(String url, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    headers.forEach(b::header);
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  static String unfold(String ics) {
    return ics.replace("\r\n ", "").replace("\r\n\t", "");
  }

  static String uidOf(String ics, String summaryPart) {
    for (String event : unfold(ics).split("BEGIN:VEVENT")) {
      if (event.contains(summaryPart)) {
        Matcher m = Pattern.compile("\r\nUID:([^\r\n]+)").matcher(event);
        if (m.find()) {
          return m.group(1);
        }
      }
    }
    throw new AssertionError("no event with " + summaryPart);
  }

  static String eventWithUid(String ics, String uid) {
    for (String event : unfold(ics).split("BEGIN:VEVENT")) {
      if (event.contains("UID:" + uid + "\r\n")) {
        return event;
      }
    }
    throw new AssertionError("no event with UID " + uid);
  }
}
