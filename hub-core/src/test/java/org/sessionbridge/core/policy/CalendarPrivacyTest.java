package org.sessionbridge.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.sessionbridge.core.appointment.Modality;
import org.sessionbridge.core.practice.Client;

class CalendarPrivacyTest {

  static Client client(String name) {
    return new Client(
        UUID.fromString("3f9a2b10-0000-4000-8000-000000000001"),
        UUID.randomUUID(),
        name,
        "x@example.org",
        null,
        Instant.EPOCH);
  }

  @Test
  void providerSeesInitialsByDefaultAndNeverAFullName() {
    String summary =
        CalendarPrivacy.providerSummary(
            Modality.TELEHEALTH, List.of(client("Jordan Lee")), ClientLabel.INITIALS);
    assertThat(summary).isEqualTo("Video session – J.L.").doesNotContain("Jordan");
  }

  @Test
  void providerCanSeeAReferenceOrNothing() {
    assertThat(
            CalendarPrivacy.providerSummary(
                Modality.IN_PERSON, List.of(client("Jordan Lee")), ClientLabel.REFERENCE))
        .isEqualTo("Session – C-3F9A2B");
    assertThat(
            CalendarPrivacy.providerSummary(
                Modality.IN_PERSON, List.of(client("Jordan Lee")), ClientLabel.NONE))
        .isEqualTo("Session");
  }

  @Test
  void groupSessionsShowOnlyTheCount() {
    assertThat(
            CalendarPrivacy.providerSummary(
                Modality.IN_PERSON,
                List.of(client("A B"), client("C D"), client("E F")),
                ClientLabel.INITIALS))
        .isEqualTo("Group session (3 clients)");
    assertThat(CalendarPrivacy.clientSummary(Modality.TELEHEALTH, "Dr. Maya Chen", true))
        .isEqualTo("Group session with Dr. Maya Chen");
  }

  @Test
  void clientSeesWhomTheyMeet() {
    assertThat(CalendarPrivacy.clientSummary(Modality.TELEHEALTH, "Dr. Maya Chen", false))
        .isEqualTo("Video session with Dr. Maya Chen");
  }

  @Test
  void initialsHandleAccentsHyphensAndJunk() {
    assertThat(CalendarPrivacy.initials("Zoë Ångström")).isEqualTo("Z.Å.");
    assertThat(CalendarPrivacy.initials("Mary-Jane  O'Neil")).isEqualTo("M.J.O.");
    assertThat(CalendarPrivacy.initials("  ")).isEqualTo("?");
    assertThat(CalendarPrivacy.initials("\";,\n")).isEqualTo("?");
  }
}
