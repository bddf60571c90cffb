package org.sessionbridge.connector.google;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class GoogleEventIdsTest {

  @Test
  void encodesTheRfc4648TestVectorsInLowercaseBase32hexWithoutPadding() {
    // RFC 4648 §10, base32hex, padding stripped and lowercased as Google wants
    assertThat(base32hex("")).isEmpty();
    assertThat(base32hex("f")).isEqualTo("co");
    assertThat(base32hex("fo")).isEqualTo("cpng");
    assertThat(base32hex("foo")).isEqualTo("cpnmu");
    assertThat(base32hex("foob")).isEqualTo("cpnmuog");
    assertThat(base32hex("fooba")).isEqualTo("cpnmuoj1");
    assertThat(base32hex("foobar")).isEqualTo("cpnmuoj1e8");
  }

  @Test
  void anAppointmentsIdIsSbAndItsUuidInBase32hexWhichGoogleAccepts() {
    UUID appointment = UUID.fromString("3f2a7c1e-9b4d-4e8a-a1c2-5d6e7f809a1b");

    String id = GoogleEventIds.forAppointment(appointment);

    // independently: the 128 bits, padded by 2 zero bits to 130, in radix 32 (digits 0-9a-v)
    String expected =
        new BigInteger(appointment.toString().replace("-", ""), 16).shiftLeft(2).toString(32);
    assertThat(id).isEqualTo("sb" + "0".repeat(26 - expected.length()) + expected);
    assertThat(id).hasSize(28).matches("[0-9a-v]{5,1024}");
  }

  @Test
  void theSameAppointmentAlwaysGetsTheSameIdAndTheIdLeadsBackToIt() {
    for (int i = 0; i < 1_000; i++) {
      UUID appointment = UUID.randomUUID();
      String id = GoogleEventIds.forAppointment(appointment);
      assertThat(GoogleEventIds.forAppointment(appointment)).isEqualTo(id);
      assertThat(id).matches("[0-9a-v]{28}");
      assertThat(GoogleEventIds.appointmentOf(id)).contains(appointment);
    }
    UUID extremes = new UUID(-1L, -1L);
    assertThat(GoogleEventIds.appointmentOf(GoogleEventIds.forAppointment(extremes)))
        .contains(extremes);
    assertThat(GoogleEventIds.appointmentOf(GoogleEventIds.forAppointment(new UUID(0, 0))))
        .contains(new UUID(0, 0));
  }

  @Test
  void idsGoogleOrPeopleChoseAreNotTakenForOurs() {
    String ours = GoogleEventIds.forAppointment(UUID.randomUUID());
    assertThat(GoogleEventIds.appointmentOf("7kbr1b0qpvg4ufc7kq0h1q6rlc")).isEmpty(); // Google's
    assertThat(GoogleEventIds.appointmentOf(ours + "_20260302T140000Z")).isEmpty(); // an instance
    assertThat(GoogleEventIds.appointmentOf(ours.toUpperCase())).isEmpty();
    assertThat(GoogleEventIds.appointmentOf("xx" + ours.substring(2))).isEmpty();
    assertThat(GoogleEventIds.appointmentOf(ours.substring(0, 27) + "w")).isEmpty();
    // the last character carries 3 data bits and 2 padding bits that must be zero
    char last = ours.charAt(27);
    char nonZeroPadding = Character.forDigit((Character.digit(last, 32) & ~3) | 1, 32);
    assertThat(GoogleEventIds.appointmentOf(ours.substring(0, 27) + nonZeroPadding)).isEmpty();
  }

  private static String base32hex(String text) {
    return GoogleEventIds.base32hex(text.getBytes(StandardCharsets.US_ASCII));
  }
}
