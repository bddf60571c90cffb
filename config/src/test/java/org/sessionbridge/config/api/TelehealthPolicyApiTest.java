package org.sessionbridge.config.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sessionbridge.config.api.HubClient.json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sessionbridge.config.api.HubClient.Answer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Issue #7 parts 1 and 2 over a real socket: providers' video services with the contact each
 * platform needs and one default, the telehealth role granted only by an OWNER or MANAGER (and
 * audited), and the practice's compliance policy enforced when services are configured and when
 * sessions are booked. Every refusal is a problem naming its field.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "sessionbridge.security.operator-key=" + TelehealthPolicyApiTest.OPERATOR,
      "spring.datasource.url=jdbc:h2:mem:telehealth-policy-test;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000",
      "sessionbridge.outbox.poll-interval=50ms"
    })
class TelehealthPolicyApiTest {

  static final String OPERATOR = "telehealth-policy-test-operator-key-0123";

  @LocalServerPort int port;
  @Autowired JdbcClient db;

  final java.util.concurrent.atomic.AtomicInteger bookings =
      new java.util.concurrent.atomic.AtomicInteger();
  HubClient hub;
  String key;
  String owner;
  String manager;
  String plainProvider;
  String provider;
  String client;

  @BeforeEach
  void practice() {
    hub = new HubClient(port);
    key =
        created(
            hub.post("/api/v1/practices", OPERATOR, json("name", "Lakeside", "timeZone", "UTC")),
            "apiKey");
    owner = staff("Olive Owner", "olive@lakeside.example", "OWNER");
    manager = staff("Max Manager", "max@lakeside.example", "MANAGER");
    plainProvider = staff("Pat Provider", "pat@lakeside.example", "PROVIDER");
    provider = staff("Dr. Ada Park", "ada@lakeside.example", "PROVIDER");
    client =
        created(
            hub.post("/api/v1/clients", key, json("name", "River", "email", "r@c.example")), "id");
  }

  // ---- the telehealth role ----

  @Test
  void onlyAnOwnerOrManagerGrantsTheTelehealthRoleAndEveryGrantAndRevokeIsAudited() {
    Answer noActor = hub.post(role(provider), key, null);
    assertThat(noActor.status()).isEqualTo(400);
    assertThat(noActor.json().get("field").asString()).isEqualTo("X-Acting-Staff");

    Answer unknown = grant(provider, java.util.UUID.randomUUID().toString());
    assertThat(unknown.status()).isEqualTo(422);
    assertThat(unknown.json().get("field").asString()).isEqualTo("X-Acting-Staff");
    assertThat(unknown.contentType()).startsWith("application/problem+json");

    Answer byProvider = grant(provider, plainProvider);
    assertThat(byProvider.status()).isEqualTo(403);
    assertThat(byProvider.json().get("field").asString()).isEqualTo("X-Acting-Staff");
    assertThat(byProvider.json().get("reason").asString())
        .contains(plainProvider)
        .contains("PROVIDER")
        .contains("only an OWNER or MANAGER may grant the telehealth role");
    assertThat(
            hub.get("/api/v1/providers/" + provider, key)
                .json()
                .get("telehealthEnabled")
                .asBoolean())
        .isFalse();

    Answer granted = grant(provider, owner);
    assertThat(granted.status()).as(granted.body()).isEqualTo(200);
    assertThat(granted.json().get("telehealthEnabled").asBoolean()).isTrue();
    assertThat(granted.json().get("changed").asBoolean()).isTrue();
    assertThat(grant(provider, manager).json().get("changed").asBoolean()).isFalse();

    Answer revokedByProvider =
        hub.send(
            hub.builder(role(provider), key, Map.of("X-Acting-Staff", plainProvider))
                .DELETE()
                .build());
    assertThat(revokedByProvider.status()).isEqualTo(403);
    Answer revoked =
        hub.send(
            hub.builder(role(provider), key, Map.of("X-Acting-Staff", manager)).DELETE().build());
    assertThat(revoked.status()).isEqualTo(200);
    assertThat(revoked.json().get("telehealthEnabled").asBoolean()).isFalse();

    JsonNode audit = hub.get(role(provider) + "/audit", key).json();
    assertThat(audit).hasSize(3);
    assertThat(audit.get(0).get("action").asString()).isEqualTo("GRANT");
    assertThat(audit.get(0).get("actorId").asString()).isEqualTo(owner);
    assertThat(audit.get(0).get("targetId").asString()).isEqualTo(provider);
    assertThat(audit.get(0).get("detail").asString()).isEqualTo("granted");
    assertThat(audit.get(0).get("at").asString()).isNotBlank();
    assertThat(audit.get(1).get("detail").asString()).isEqualTo("already held");
    assertThat(audit.get(1).get("actorId").asString()).isEqualTo(manager);
    assertThat(audit.get(2).get("action").asString()).isEqualTo("REVOKE");
    assertThat(
            db.sql("select count(*) from telehealth_audit where target_id = :t")
                .param("t", java.util.UUID.fromString(provider))
                .query(Long.class)
                .single())
        .isEqualTo(3);
  }

  @Test
  void anotherPracticesKeyNeverSeesTheRoleTheAuditOrTheServices() {
    String other =
        created(
            hub.post("/api/v1/practices", OPERATOR, json("name", "Other", "timeZone", "UTC")),
            "apiKey");
    String otherOwner =
        created(
            hub.post(
                "/api/v1/providers",
                other,
                json("name", "O", "email", "o@other.example", "timeZone", "UTC", "role", "OWNER")),
            "id");
    Answer foreign = hub.post(role(provider), other, null, Map.of("X-Acting-Staff", otherOwner));
    assertThat(foreign.status()).isEqualTo(404);
    assertThat(hub.get(role(provider) + "/audit", other).status()).isEqualTo(404);
    assertThat(hub.get(services(provider), other).status()).isEqualTo(404);
    // B's owner cannot act in A either: no staff member of A has that id.
    Answer actorFromB = grant(provider, otherOwner);
    assertThat(actorFromB.status()).isEqualTo(422);
    assertThat(actorFromB.json().get("field").asString()).isEqualTo("X-Acting-Staff");
  }

  @Test
  void addingAProviderWithTelehealthNeedsAnOwnerOrManagerAndWritesNothingOtherwise() {
    String body =
        json("name", "Dr. New", "email", "new@lakeside.example", "timeZone", "UTC")
            .replace("}", ",\"telehealthEnabled\":true}");
    Answer noActor = hub.post("/api/v1/providers", key, body);
    assertThat(noActor.status()).isEqualTo(400);
    assertThat(noActor.json().get("field").asString()).isEqualTo("X-Acting-Staff");
    Answer byProvider =
        hub.post("/api/v1/providers", key, body, Map.of("X-Acting-Staff", plainProvider));
    assertThat(byProvider.status()).isEqualTo(403);
    assertThat(hub.get("/api/v1/providers", key).json()).hasSize(4);
    Answer byOwner = hub.post("/api/v1/providers", key, body, Map.of("X-Acting-Staff", owner));
    assertThat(byOwner.status()).isEqualTo(201);
    assertThat(byOwner.json().get("telehealthEnabled").asBoolean()).isTrue();
    JsonNode audit = hub.get(role(byOwner.json().get("id").asString()) + "/audit", key).json();
    assertThat(audit).hasSize(1);
    assertThat(audit.get(0).get("action").asString()).isEqualTo("GRANT");
    assertThat(audit.get(0).get("actorId").asString()).isEqualTo(owner);
  }

  @Test
  void telehealthCannotBeBookedForAProviderWithoutTheRoleEvenWhenForced() {
    addService(provider, json("platform", "DOXY", "url", "https://doxy.me/ada"));
    Answer refused = hub.post("/api/v1/appointments", key, booking(provider, null, true));
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.json().get("field").asString()).isEqualTo("providerId");
    assertThat(refused.json().get("reason").asString()).contains("telehealth role");
    assertThat(hub.post("/api/v1/appointments", key, inPerson(provider)).status()).isEqualTo(201);
    grant(provider, owner);
    assertThat(hub.post("/api/v1/appointments", key, booking(provider, null, false)).status())
        .isEqualTo(201);
  }

  // ---- video services ----

  @Test
  void eachPlatformTakesTheContactItNeedsAndRefusalsNameTheField() {
    assertField(post(provider, json("platform", "DOXY")), 400, "url");
    assertField(
        post(provider, json("platform", "SKYPE", "url", "https://skype.example")), 400, "url");
    assertField(post(provider, json("platform", "WHATSAPP", "phone", "555-1234")), 400, "phone");
    assertField(post(provider, json("platform", "SKYPE", "skypeId", "a b")), 400, "skypeId");
    assertField(post(provider, json("platform", "ZOOM", "url", "https://zoom.us/j/1")), 400, "url");
    assertField(post(provider, json("platform", "NOPE")), 400, "platform");
    Answer http = post(provider, json("platform", "DOXY", "url", "http://doxy.me/ada"));
    assertField(http, 422, "url");
    assertThat(http.json().get("reason").asString()).contains("httpsLinksOnly");
    assertThat(hub.get(services(provider), key).json()).isEmpty();

    lenient(); // waiting room and BAA off: contact services are allowed
    JsonNode skype = addService(provider, json("platform", "SKYPE", "skypeId", "live:drpark"));
    assertThat(skype.get("skypeId").asString()).isEqualTo("live:drpark");
    JsonNode whatsapp = addService(provider, json("platform", "WHATSAPP", "phone", "+15555550101"));
    assertThat(whatsapp.get("phone").asString()).isEqualTo("+15555550101");
    assertThat(whatsapp.get("waitingRoom").asString()).isEqualTo("UNVERIFIED");
    assertThat(whatsapp.get("compliant").asBoolean()).isTrue();
    Answer twice = post(provider, json("platform", "SKYPE", "skypeId", "live:other"));
    assertField(twice, 409, "platform");
  }

  @Test
  void joinInstructionsComeInTwoWordingsAndTheEarlierFieldStillWorks() {
    JsonNode legacy =
        addService(
            provider,
            json(
                "platform", "DOXY", "url", "https://doxy.me/ada", "joinInstructions", "Check in."));
    assertThat(legacy.get("clientInstructions").asString()).isEqualTo("Check in.");
    assertThat(legacy.get("joinInstructions").asString()).isEqualTo("Check in.");
    assertThat(legacy.get("providerInstructions").isNull()).isTrue();
    JsonNode both =
        addService(
            provider,
            json(
                "platform", "VSEE",
                "url", "https://vsee.me/ada",
                "clientInstructions", "Wait in the lobby.",
                "providerInstructions", "Admit from the VSee clinic dashboard."));
    assertThat(both.get("joinInstructions").asString()).isEqualTo("Wait in the lobby.");
    assertThat(both.get("providerInstructions").asString())
        .isEqualTo("Admit from the VSee clinic dashboard.");
    Answer clash =
        post(
            provider,
            json(
                "platform", "ZOOM",
                "joinInstructions", "A",
                "clientInstructions", "B"));
    assertField(clash, 400, "clientInstructions");

    Answer patched =
        hub.patch(
            services(provider) + "/" + both.get("id").asString(),
            key,
            json("providerInstructions", "", "clientInstructions", "New words."),
            Map.of());
    assertThat(patched.status()).as(patched.body()).isEqualTo(200);
    assertThat(patched.json().get("providerInstructions").isNull()).isTrue();
    assertThat(patched.json().get("clientInstructions").asString()).isEqualTo("New words.");
    assertThat(patched.json().get("url").asString()).isEqualTo("https://vsee.me/ada");
    Answer platformChange =
        hub.patch(
            services(provider) + "/" + both.get("id").asString(),
            key,
            json("platform", "DOXY"),
            Map.of());
    assertField(platformChange, 400, "platform");
    Answer badUrl =
        hub.patch(
            services(provider) + "/" + both.get("id").asString(),
            key,
            json("url", "http://vsee.me/ada"),
            Map.of());
    assertField(badUrl, 422, "url");
    assertThat(
            hub.get(services(provider) + "/" + both.get("id").asString(), key)
                .json()
                .get("url")
                .asString())
        .isEqualTo("https://vsee.me/ada");
  }

  @Test
  void aProviderHasExactlyOneDefaultAndDeletingItPromotesTheOldestRemaining() {
    JsonNode doxy = addService(provider, json("platform", "DOXY", "url", "https://doxy.me/ada"));
    assertThat(doxy.get("isDefault").asBoolean()).isTrue();
    JsonNode vsee = addService(provider, json("platform", "VSEE", "url", "https://vsee.me/ada"));
    assertThat(vsee.get("isDefault").asBoolean()).isFalse();
    JsonNode zoom =
        addService(provider, json("platform", "ZOOM").replace("}", ",\"isDefault\":true}"));
    assertThat(zoom.get("isDefault").asBoolean()).isTrue();
    assertThat(defaults(provider)).containsExactly("ZOOM");

    Answer unset =
        hub.patch(
            services(provider) + "/" + zoom.get("id").asString(),
            key,
            "{\"isDefault\":false}",
            Map.of());
    assertField(unset, 422, "isDefault");
    Answer moved =
        hub.patch(
            services(provider) + "/" + vsee.get("id").asString(),
            key,
            "{\"isDefault\":true}",
            Map.of());
    assertThat(moved.status()).isEqualTo(200);
    assertThat(defaults(provider)).containsExactly("VSEE");

    assertThat(hub.delete(services(provider) + "/" + vsee.get("id").asString(), key).status())
        .isEqualTo(204);
    assertThat(defaults(provider)).containsExactly("DOXY"); // the oldest remaining
    assertThat(hub.delete(services(provider) + "/" + doxy.get("id").asString(), key).status())
        .isEqualTo(204);
    assertThat(defaults(provider)).containsExactly("ZOOM");
    assertThat(hub.delete(services(provider) + "/" + zoom.get("id").asString(), key).status())
        .isEqualTo(204); // the last one: the provider then offers none
    assertThat(hub.get(services(provider), key).json()).isEmpty();
    assertThat(hub.delete(services(provider) + "/" + zoom.get("id").asString(), key).status())
        .isEqualTo(404);
  }

  @Test
  void concurrentDefaultChangesLeaveExactlyOneDefault() throws Exception {
    List<String> ids = new ArrayList<>();
    ids.add(
        addService(provider, json("platform", "DOXY", "url", "https://doxy.me/a"))
            .get("id")
            .asString());
    ids.add(
        addService(provider, json("platform", "VSEE", "url", "https://vsee.me/a"))
            .get("id")
            .asString());
    ids.add(addService(provider, json("platform", "ZOOM")).get("id").asString());
    ids.add(addService(provider, json("platform", "TEAMS")).get("id").asString());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 5; round++) {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          String id = ids.get(i % ids.size());
          answers.add(
              pool.submit(
                  () -> {
                    go.await();
                    return hub.patch(
                            services(provider) + "/" + id, key, "{\"isDefault\":true}", Map.of())
                        .status();
                  }));
        }
        go.countDown();
        for (Future<Integer> a : answers) {
          assertThat(a.get(30, TimeUnit.SECONDS)).isEqualTo(200);
        }
        assertThat(defaults(provider)).hasSize(1);
        assertThat(
                db.sql("select count(*) from video_service where provider_id = :p and is_default")
                    .param("p", java.util.UUID.fromString(provider))
                    .query(Long.class)
                    .single())
            .isEqualTo(1);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void bookingWithoutAPlatformStoresTheDefaultAndAnUnofferedOneIsRefused() {
    grant(provider, owner);
    addService(provider, json("platform", "DOXY", "url", "https://doxy.me/ada"));
    addService(provider, json("platform", "ZOOM").replace("}", ",\"isDefault\":true}"));
    Answer byDefault = hub.post("/api/v1/appointments", key, booking(provider, null, false));
    assertThat(byDefault.status()).as(byDefault.body()).isEqualTo(201);
    assertThat(byDefault.json().get("videoPlatform").asString()).isEqualTo("ZOOM");
    Answer chosen = hub.post("/api/v1/appointments", key, booking(provider, "DOXY", false));
    assertThat(chosen.json().get("videoPlatform").asString()).isEqualTo("DOXY");
    assertThat(chosen.json().get("telehealth").get("joinUrl").asString())
        .isEqualTo("https://doxy.me/ada");
    Answer notOffered = hub.post("/api/v1/appointments", key, booking(provider, "VSEE", true));
    assertField(notOffered, 422, "videoPlatform");
    assertThat(notOffered.json().get("reason").asString())
        .contains("VSEE")
        .contains("offered: DOXY, ZOOM");
    String id = byDefault.json().get("id").asString();
    Answer patchToUnoffered =
        hub.patch("/api/v1/appointments/" + id, key, json("videoPlatform", "TEAMS"), Map.of());
    assertField(patchToUnoffered, 422, "videoPlatform");
  }

  @Test
  void aServiceUsedByUpcomingSessionsCannotBeDeleted() {
    grant(provider, owner);
    JsonNode doxy = addService(provider, json("platform", "DOXY", "url", "https://doxy.me/ada"));
    addService(provider, json("platform", "ZOOM"));
    String session =
        hub.post("/api/v1/appointments", key, booking(provider, "DOXY", false))
            .json()
            .get("id")
            .asString();
    Answer refused = hub.delete(services(provider) + "/" + doxy.get("id").asString(), key);
    assertField(refused, 409, "id");
    assertThat(refused.json().get("reason").asString()).contains("1 upcoming session");
    assertThat(hub.get(services(provider), key).json()).hasSize(2);
    hub.post("/api/v1/appointments/" + session + "/cancel", key, null);
    assertThat(hub.delete(services(provider) + "/" + doxy.get("id").asString(), key).status())
        .isEqualTo(204);
  }

  // ---- the compliance policy ----

  @Test
  void newPracticeStartsStrictAndOnlyOwnersOrManagersChangeThePolicy() {
    JsonNode policy = hub.get("/api/v1/practice/compliance", key).json();
    assertThat(policy.get("httpsLinksOnly").asBoolean()).isTrue();
    assertThat(policy.get("baaPlatformsOnly").asBoolean()).isTrue();
    assertThat(policy.get("waitingRoomRequired").asBoolean()).isTrue();
    assertThat(policy.get("refuseAppleOnly").asBoolean()).isTrue();
    List<String> covered = new ArrayList<>();
    policy.get("baaCoveredPlatforms").forEach(p -> covered.add(p.asString()));
    assertThat(covered)
        .containsExactly("ZOOM", "TEAMS", "DOXY", "VSEE", "ZOOM_PERSONAL_LINK", "GOOGLE_MEET");
    assertThat(policy.get("updatedBy").isNull()).isTrue();
    JsonNode meet = platform(policy, "GOOGLE_MEET");
    assertThat(meet.get("allowed").asBoolean()).isFalse();
    assertThat(meet.get("waitingRoom").asString()).isEqualTo("UNVERIFIED");
    assertThat(platform(policy, "DOXY").get("waitingRoom").asString()).isEqualTo("BUILT_IN");
    assertThat(platform(policy, "ZOOM").get("waitingRoom").asString()).isEqualTo("HUB_ENFORCED");

    String body = policyBody(true, true, false, true, null);
    assertField(hub.put("/api/v1/practice/compliance", key, body), 400, "X-Acting-Staff");
    Answer byProvider = putPolicy(body, plainProvider);
    assertField(byProvider, 403, "X-Acting-Staff");
    assertThat(byProvider.json().get("reason").asString()).contains("change the compliance policy");
    assertField(putPolicy(policyBody(false, true, true, true, null), owner), 422, "httpsLinksOnly");
    assertField(
        putPolicy(policyBody(true, true, true, true, "[\"ZOOM\",\"WHATSAPP\"]"), owner),
        422,
        "baaCoveredPlatforms");
    assertField(
        putPolicy(policyBody(true, true, true, true, "[\"ZOOM\",\"NOPE\"]"), owner),
        400,
        "baaCoveredPlatforms[1]");
    assertField(putPolicy("{\"httpsLinksOnly\":true}", owner), 400, "baaPlatformsOnly");
    assertThat(
            hub.get("/api/v1/practice/compliance", key)
                .json()
                .get("waitingRoomRequired")
                .asBoolean())
        .isTrue();
    assertThat(hub.get("/api/v1/practice/compliance/audit", key).json()).isEmpty();

    Answer changed = putPolicy(body, manager);
    assertThat(changed.status()).as(changed.body()).isEqualTo(200);
    assertThat(changed.json().get("waitingRoomRequired").asBoolean()).isFalse();
    assertThat(changed.json().get("updatedBy").asString()).isEqualTo(manager);
    assertThat(
            hub.get("/api/v1/practice", key)
                .json()
                .get("compliancePolicy")
                .get("waitingRoomRequired")
                .asBoolean())
        .isFalse();
    JsonNode audit = hub.get("/api/v1/practice/compliance/audit", key).json();
    assertThat(audit).hasSize(1);
    assertThat(audit.get(0).get("action").asString()).isEqualTo("POLICY_CHANGE");
    assertThat(audit.get(0).get("actorId").asString()).isEqualTo(manager);
    assertThat(audit.get(0).get("targetId").isNull()).isTrue();
    assertThat(audit.get(0).get("detail").asString()).contains("waitingRoomRequired=false");
  }

  @Test
  void staticPersonalRoomsNeedTheWaitingRoomOptOutAndATighterPolicyMarksThemAndRefusesBookings() {
    grant(provider, owner);
    addService(provider, json("platform", "DOXY", "url", "https://doxy.me/ada"));
    Answer refused =
        post(provider, json("platform", "ZOOM_PERSONAL_LINK", "url", "https://zoom.us/j/5551234"));
    assertField(refused, 422, "platform");
    assertThat(refused.json().get("reason").asString()).contains("waitingRoomRequired");

    assertThat(putPolicy(policyBody(true, true, false, true, null), owner).status()).isEqualTo(200);
    JsonNode room =
        addService(
            provider, json("platform", "ZOOM_PERSONAL_LINK", "url", "https://zoom.us/j/5551234"));
    assertThat(room.get("compliant").asBoolean()).isTrue();
    Answer booked =
        hub.post("/api/v1/appointments", key, booking(provider, "ZOOM_PERSONAL_LINK", false));
    assertThat(booked.status()).isEqualTo(201);

    // Tightening is accepted; the offending service is listed and marked, and no longer bookable.
    Answer tightened = putPolicy(policyBody(true, true, true, true, null), owner);
    assertThat(tightened.status()).isEqualTo(200);
    JsonNode violations = tightened.json().get("violations");
    assertThat(violations).hasSize(1);
    assertThat(violations.get(0).get("serviceId").asString()).isEqualTo(room.get("id").asString());
    assertThat(violations.get(0).get("providerId").asString()).isEqualTo(provider);
    assertThat(violations.get(0).get("rule").asString()).isEqualTo("waitingRoomRequired");
    JsonNode marked = hub.get(services(provider) + "/" + room.get("id").asString(), key).json();
    assertThat(marked.get("compliant").asBoolean()).isFalse();
    assertThat(marked.get("violations").get(0).get("rule").asString())
        .isEqualTo("waitingRoomRequired");
    Answer noLonger =
        hub.post("/api/v1/appointments", key, booking(provider, "ZOOM_PERSONAL_LINK", true));
    assertField(noLonger, 422, "videoPlatform");
    assertThat(noLonger.json().get("reason").asString()).contains("waitingRoomRequired");
    // Rescheduling the session booked before is a booking again: refused until it moves platform.
    String id = booked.json().get("id").asString();
    Answer moved =
        hub.patch(
            "/api/v1/appointments/" + id, key, json("start", "2030-01-08T10:00:00Z"), Map.of());
    assertField(moved, 422, "videoPlatform");
    Answer movedToDoxy =
        hub.patch(
            "/api/v1/appointments/" + id,
            key,
            json("start", "2030-01-08T10:00:00Z", "videoPlatform", "DOXY"),
            Map.of());
    assertThat(movedToDoxy.status()).as(movedToDoxy.body()).isEqualTo(200);
    assertThat(hub.get("/api/v1/practice/compliance/audit", key).json()).hasSize(2);
  }

  @Test
  void platformsOutsideThePracticesBaaListAreRefusedAtConfigurationAndAtBooking() {
    grant(provider, owner);
    JsonNode vsee = addService(provider, json("platform", "VSEE", "url", "https://vsee.me/ada"));
    addService(provider, json("platform", "DOXY", "url", "https://doxy.me/ada"));
    Answer narrowed = putPolicy(policyBody(true, true, true, true, "[\"ZOOM\",\"DOXY\"]"), owner);
    assertThat(narrowed.status()).isEqualTo(200);
    assertThat(narrowed.json().get("violations").get(0).get("rule").asString())
        .isEqualTo("baaPlatformsOnly");
    assertThat(narrowed.json().get("violations").get(0).get("serviceId").asString())
        .isEqualTo(vsee.get("id").asString());
    assertField(post(provider, json("platform", "TEAMS")), 422, "platform");
    Answer booking = hub.post("/api/v1/appointments", key, booking(provider, "VSEE", false));
    assertField(booking, 422, "videoPlatform");
    assertThat(booking.json().get("reason").asString()).contains("baaPlatformsOnly");
    assertThat(hub.post("/api/v1/appointments", key, booking(provider, "DOXY", false)).status())
        .isEqualTo(201);
  }

  @Test
  void aProviderMayNotBeLeftWithOnlyFaceTime() {
    lenient();
    assertThat(putPolicy(policyBody(true, false, false, true, null), owner).status())
        .isEqualTo(200);
    Answer onlyFaceTime = post(provider, json("platform", "FACETIME", "phone", "+15555550123"));
    assertField(onlyFaceTime, 422, "platform");
    assertThat(onlyFaceTime.json().get("reason").asString())
        .contains("FACETIME")
        .contains("refuseAppleOnly");
    JsonNode whatsapp = addService(provider, json("platform", "WHATSAPP", "phone", "+15555550123"));
    addService(provider, json("platform", "FACETIME", "phone", "+15555550123"));
    Answer deleteOther = hub.delete(services(provider) + "/" + whatsapp.get("id").asString(), key);
    assertField(deleteOther, 422, "id");
    assertThat(deleteOther.json().get("reason").asString()).contains("refuseAppleOnly");
    assertThat(hub.get(services(provider), key).json()).hasSize(2);
  }

  // ---- helpers ----

  private void lenient() {
    Answer a = putPolicy(policyBody(true, false, false, false, null), owner);
    assertThat(a.status()).as(a.body()).isEqualTo(200);
  }

  private static String policyBody(
      boolean https, boolean baa, boolean waitingRoom, boolean apple, String covered) {
    return "{\"httpsLinksOnly\":"
        + https
        + ",\"baaPlatformsOnly\":"
        + baa
        + ",\"waitingRoomRequired\":"
        + waitingRoom
        + ",\"refuseAppleOnly\":"
        + apple
        + (covered == null ? "" : ",\"baaCoveredPlatforms\":" + covered)
        + "}";
  }

  private Answer putPolicy(String body, String actor) {
    return hub.send(
        hub.builder("/api/v1/practice/compliance", key, Map.of("X-Acting-Staff", actor))
            .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private static JsonNode platform(JsonNode policy, String name) {
    for (JsonNode p : policy.get("platforms")) {
      if (p.get("platform").asString().equals(name)) {
        return p;
      }
    }
    throw new AssertionError(name + " missing");
  }

  private List<String> defaults(String providerId) {
    List<String> found = new ArrayList<>();
    for (JsonNode s : hub.get(services(providerId), key).json()) {
      if (s.get("isDefault").asBoolean()) {
        found.add(s.get("platform").asString());
      }
    }
    return found;
  }

  private String booking(String providerId, String platform, boolean force) {
    return "{\"providerId\":\""
        + providerId
        + "\",\"clientIds\":[\""
        + client
        + "\"],\"start\":\"2030-01-07T"
        + String.format("%02d", 8 + bookings.getAndIncrement() % 10)
        + ":00:00Z\",\"end\":\"2030-01-07T23:00:00Z\",\"timeZone\":\"UTC\","
        + "\"modality\":\"TELEHEALTH\""
        + (platform == null ? "" : ",\"videoPlatform\":\"" + platform + "\"")
        + (force ? ",\"force\":true" : "")
        + "}";
  }

  private String inPerson(String providerId) {
    return "{\"providerId\":\""
        + providerId
        + "\",\"clientIds\":[\""
        + client
        + "\"],\"start\":\"2030-01-07T08:00:00Z\",\"end\":\"2030-01-07T09:00:00Z\","
        + "\"timeZone\":\"UTC\",\"modality\":\"IN_PERSON\"}";
  }

  private Answer grant(String target, String actor) {
    return hub.post(role(target), key, null, Map.of("X-Acting-Staff", actor));
  }

  private static String role(String providerId) {
    return "/api/v1/providers/" + providerId + "/telehealth-role";
  }

  private static String services(String providerId) {
    return "/api/v1/providers/" + providerId + "/video-services";
  }

  private Answer post(String providerId, String body) {
    return hub.post(services(providerId), key, body);
  }

  private JsonNode addService(String providerId, String body) {
    Answer a = post(providerId, body);
    assertThat(a.status()).as(a.body()).isEqualTo(201);
    assertThat(a.header("Location")).endsWith(a.json().get("id").asString());
    return a.json();
  }

  private String staff(String name, String email, String role) {
    return created(
        hub.post(
            "/api/v1/providers",
            key,
            json("name", name, "email", email, "timeZone", "UTC", "role", role)),
        "id");
  }

  private static void assertField(Answer a, int status, String field) {
    assertThat(a.status()).as(a.body()).isEqualTo(status);
    assertThat(a.contentType()).startsWith("application/problem+json");
    assertThat(a.json().get("field").asString()).as(a.body()).isEqualTo(field);
  }

  private static String created(Answer a, String field) {
    assertThat(a.status()).as(a.body()).isEqualTo(201);
    return a.json().get(field).asString();
  }
}
