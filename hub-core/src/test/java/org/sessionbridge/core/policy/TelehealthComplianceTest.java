package org.sessionbridge.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.sessionbridge.core.error.FieldProblem;
import org.sessionbridge.core.practice.CompliancePolicy;
import org.sessionbridge.core.practice.Staff;
import org.sessionbridge.core.practice.StaffRole;
import org.sessionbridge.core.practice.VideoPlatform;
import org.sessionbridge.core.practice.VideoService;
import org.sessionbridge.core.practice.VideoServiceRules;

class TelehealthComplianceTest {

  static final CompliancePolicy STRICT = CompliancePolicy.STRICT;
  static final CompliancePolicy LENIENT =
      new CompliancePolicy(true, false, false, false, VideoPlatform.baaCapablePlatforms());
  static final Instant T = Instant.parse("2030-01-01T00:00:00Z");
  static final UUID PROVIDER = UUID.randomUUID();

  @Test
  void strictPolicyAllowsHubEnforcedAndBuiltInWaitingRoomsOnly() {
    for (VideoPlatform p : VideoPlatform.values()) {
      boolean allowed = TelehealthCompliance.breaches(STRICT, p, null).isEmpty();
      assertThat(allowed)
          .as(p.name())
          .isEqualTo(
              p == VideoPlatform.ZOOM
                  || p == VideoPlatform.TEAMS
                  || p == VideoPlatform.DOXY
                  || p == VideoPlatform.VSEE);
    }
  }

  @Test
  void staticPersonalRoomIsRefusedWhileAWaitingRoomIsRequired() {
    List<FieldProblem> problems =
        TelehealthCompliance.serviceProblems(
            STRICT, VideoPlatform.ZOOM_PERSONAL_LINK, "https://zoom.us/j/123");
    assertThat(problems).extracting(FieldProblem::field).containsExactly("platform");
    assertThat(problems.get(0).reason())
        .contains("ZOOM_PERSONAL_LINK")
        .contains("waitingRoomRequired");
    CompliancePolicy optedOut = new CompliancePolicy(true, true, false, true);
    assertThat(
            TelehealthCompliance.serviceProblems(
                optedOut, VideoPlatform.ZOOM_PERSONAL_LINK, "https://zoom.us/j/123"))
        .isEmpty();
  }

  @Test
  void platformNotMarkedBaaCoveredIsRefusedUnderBaaPlatformsOnly() {
    CompliancePolicy noMeet =
        new CompliancePolicy(
            true, true, false, true, EnumSet.of(VideoPlatform.ZOOM, VideoPlatform.DOXY));
    List<FieldProblem> problems =
        TelehealthCompliance.serviceProblems(
            noMeet, VideoPlatform.GOOGLE_MEET, "https://meet.google.com/abc-defg-hij");
    assertThat(problems).hasSize(1);
    assertThat(problems.get(0).field()).isEqualTo("platform");
    assertThat(problems.get(0).reason()).contains("baaPlatformsOnly").contains("ZOOM, DOXY");
    CompliancePolicy baaOff = new CompliancePolicy(true, false, false, true, Set.of());
    assertThat(TelehealthCompliance.serviceProblems(baaOff, VideoPlatform.SKYPE, null)).isEmpty();
  }

  @Test
  void plainHttpLinkBreaksHttpsLinksOnly() {
    List<FieldProblem> problems =
        TelehealthCompliance.serviceProblems(STRICT, VideoPlatform.DOXY, "http://doxy.me/x");
    assertThat(problems).extracting(FieldProblem::field).containsExactly("url");
    assertThat(problems.get(0).reason()).contains("httpsLinksOnly");
  }

  @Test
  void aProviderMayNotOfferOnlyFaceTime() {
    assertThat(TelehealthCompliance.appleOnly(LENIENT, List.of(VideoPlatform.FACETIME))).isEmpty();
    CompliancePolicy apple = new CompliancePolicy(true, false, false, true);
    assertThat(TelehealthCompliance.appleOnly(apple, List.of(VideoPlatform.FACETIME)))
        .hasValueSatisfying(r -> assertThat(r).contains("FACETIME").contains("refuseAppleOnly"));
    assertThat(
            TelehealthCompliance.appleOnly(
                apple, List.of(VideoPlatform.FACETIME, VideoPlatform.WHATSAPP)))
        .isEmpty();
    assertThat(TelehealthCompliance.appleOnly(apple, List.of())).isEmpty();
  }

  @Test
  void policyThatCannotBeSetNamesItsField() {
    assertThat(TelehealthCompliance.policyProblems(STRICT)).isEmpty();
    List<FieldProblem> problems =
        TelehealthCompliance.policyProblems(
            new CompliancePolicy(false, true, true, true, EnumSet.of(VideoPlatform.WHATSAPP)));
    assertThat(problems)
        .extracting(FieldProblem::field)
        .containsExactly("httpsLinksOnly", "baaCoveredPlatforms");
    assertThat(problems.get(1).reason()).contains("WHATSAPP");
  }

  @Test
  void violationsListEveryServiceAndRuleAfterAPolicyTightens() {
    VideoService meet = service(VideoPlatform.GOOGLE_MEET, "https://meet.google.com/x", true);
    VideoService doxy = service(VideoPlatform.DOXY, "https://doxy.me/x", false);
    assertThat(TelehealthCompliance.violations(LENIENT, List.of(meet, doxy))).isEmpty();
    List<TelehealthCompliance.Violation> found =
        TelehealthCompliance.violations(STRICT, List.of(meet, doxy));
    assertThat(found)
        .extracting(TelehealthCompliance.Violation::serviceId, TelehealthCompliance.Violation::rule)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(meet.id(), "waitingRoomRequired"));
    VideoService faceTime = service(VideoPlatform.FACETIME, null, true);
    assertThat(
            TelehealthCompliance.violations(
                new CompliancePolicy(true, false, false, true), List.of(faceTime)))
        .extracting(TelehealthCompliance.Violation::rule)
        .containsExactly("refuseAppleOnly");
  }

  @Test
  void bookingNeedsTheTelehealthRole() {
    List<FieldProblem> problems =
        TelehealthCompliance.bookingProblems(
            STRICT,
            provider(false),
            List.of(service(VideoPlatform.DOXY, "https://doxy.me/x", true)),
            null,
            VideoPlatform.DOXY);
    assertThat(problems).extracting(FieldProblem::field).containsExactly("providerId");
    assertThat(problems.get(0).reason()).contains("telehealth role");
  }

  @Test
  void bookingAPlatformTheProviderDoesNotOfferListsWhatIsOffered() {
    List<VideoService> offered =
        List.of(
            service(VideoPlatform.DOXY, "https://doxy.me/x", true),
            service(VideoPlatform.ZOOM, null, false));
    List<FieldProblem> problems =
        TelehealthCompliance.bookingProblems(
            STRICT, provider(true), offered, VideoPlatform.VSEE, VideoPlatform.VSEE);
    assertThat(problems).extracting(FieldProblem::field).containsExactly("videoPlatform");
    assertThat(problems.get(0).reason()).contains("VSEE").contains("offered: DOXY, ZOOM");
    assertThat(
            TelehealthCompliance.bookingProblems(
                STRICT, provider(true), offered, VideoPlatform.ZOOM, VideoPlatform.ZOOM))
        .isEmpty();
  }

  @Test
  void bookingOnAServiceTheCurrentPolicyNoLongerAllowsIsRefused() {
    List<VideoService> offered =
        List.of(service(VideoPlatform.GOOGLE_MEET, "https://meet.google.com/x", true));
    List<FieldProblem> byDefault =
        TelehealthCompliance.bookingProblems(
            STRICT, provider(true), offered, null, VideoPlatform.GOOGLE_MEET);
    assertThat(byDefault).extracting(FieldProblem::field).containsExactly("videoPlatform");
    assertThat(byDefault.get(0).reason())
        .startsWith("the provider's default video service")
        .contains("waitingRoomRequired");
    assertThat(
            TelehealthCompliance.bookingProblems(
                LENIENT, provider(true), offered, null, VideoPlatform.GOOGLE_MEET))
        .isEmpty();
  }

  @Test
  void eachPlatformTakesExactlyTheContactItNeeds() {
    assertThat(VideoServiceRules.contactProblems(VideoPlatform.DOXY, null, null, null, null))
        .extracting(FieldProblem::field)
        .containsExactly("url");
    assertThat(
            VideoServiceRules.contactProblems(
                VideoPlatform.SKYPE, "https://x.example", null, null, null))
        .extracting(FieldProblem::field)
        .containsExactly("url", "skypeId");
    assertThat(
            VideoServiceRules.contactProblems(VideoPlatform.SKYPE, null, "live:drchen", null, null))
        .isEmpty();
    assertThat(VideoServiceRules.contactProblems(VideoPlatform.SKYPE, null, "a b", null, null))
        .extracting(FieldProblem::field)
        .containsExactly("skypeId");
    assertThat(
            VideoServiceRules.contactProblems(VideoPlatform.WHATSAPP, null, null, "555-1234", null))
        .extracting(FieldProblem::field)
        .containsExactly("phone");
    assertThat(
            VideoServiceRules.contactProblems(
                VideoPlatform.FACETIME, null, null, "+15555550101", null))
        .isEmpty();
    assertThat(VideoServiceRules.contactProblems(VideoPlatform.ZOOM, null, null, null, "user-1"))
        .isEmpty();
    assertThat(
            VideoServiceRules.contactProblems(
                VideoPlatform.ZOOM, "https://zoom.us/j/1", null, null, null))
        .extracting(FieldProblem::field)
        .containsExactly("url");
    assertThat(
            VideoServiceRules.contactProblems(
                VideoPlatform.DOXY, "https://doxy.me/x", null, null, "u"))
        .extracting(FieldProblem::field)
        .containsExactly("hostAccount");
  }

  @Test
  void contactServicesCarryTheirContactWithTheInstructions() {
    VideoService whatsapp =
        new VideoService(
            UUID.randomUUID(),
            PROVIDER,
            VideoPlatform.WHATSAPP,
            null,
            "Answer the video call.",
            true,
            T,
            null,
            null,
            "+15555550101",
            "Call the client from the work phone.",
            T);
    assertThat(whatsapp.joinLink()).isEqualTo("https://wa.me/15555550101");
    assertThat(whatsapp.instructionsFor(false))
        .isEqualTo("WhatsApp video call: +15555550101\nAnswer the video call.");
    assertThat(whatsapp.instructionsFor(true)).endsWith("Call the client from the work phone.");
    VideoService skype =
        new VideoService(
            UUID.randomUUID(),
            PROVIDER,
            VideoPlatform.SKYPE,
            null,
            null,
            true,
            T,
            null,
            "live:drchen",
            null,
            null,
            T);
    assertThat(skype.joinLink()).isNull();
    assertThat(skype.instructionsFor(true)).isEqualTo("Skype: live:drchen");
    assertThat(skype.toString()).doesNotContain("drchen");
  }

  private static Staff provider(boolean telehealth) {
    return new Staff(
        PROVIDER,
        UUID.randomUUID(),
        "P",
        "p@x.example",
        ZoneId.of("UTC"),
        StaffRole.PROVIDER,
        telehealth,
        T);
  }

  private static VideoService service(VideoPlatform platform, @Nullable String url, boolean def) {
    return new VideoService(
        UUID.randomUUID(), PROVIDER, platform, url, null, def, T, null, null, null, null, T);
  }
}
