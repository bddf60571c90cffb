package org.sessionbridge.core.credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretBoxTest {

  static byte[] key() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return k;
  }

  final byte[] k1 = key();
  final byte[] k2 = key();

  @Test
  void sealsAndOpensAndNeverRepeatsTheCiphertext() {
    SecretBox box = new SecretBox(Map.of("k1", k1), "k1");
    String a = box.seal("zoom-client-secret", "practice:1:zoom");
    String b = box.seal("zoom-client-secret", "practice:1:zoom");
    assertThat(a).startsWith("v1:k1:").doesNotContain("zoom-client-secret").isNotEqualTo(b);
    assertThat(box.open(a, "practice:1:zoom")).isEqualTo("zoom-client-secret");
  }

  @Test
  void aValueSealedForOneRecordDoesNotOpenForAnother() {
    SecretBox box = new SecretBox(Map.of("k1", k1), "k1");
    String value = box.seal("s3cret", "practice:1:zoom");
    assertThatThrownBy(() -> box.open(value, "practice:2:zoom"))
        .isInstanceOf(SecretBox.SealedValueException.class)
        .hasMessageNotContaining("s3cret")
        .hasNoCause();
  }

  @Test
  void anAlteredValueDoesNotOpen() {
    SecretBox box = new SecretBox(Map.of("k1", k1), "k1");
    String value = box.seal("s3cret", "ctx");
    // Flip one bit of the sealed bytes (editing a base64 character may only touch padding bits).
    int payload = value.lastIndexOf(':') + 1;
    byte[] sealed = java.util.Base64.getUrlDecoder().decode(value.substring(payload));
    sealed[sealed.length / 2] ^= 0x01;
    String altered =
        value.substring(0, payload)
            + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(sealed);
    assertThatThrownBy(() -> box.open(altered, "ctx"))
        .isInstanceOf(SecretBox.SealedValueException.class);
    assertThatThrownBy(() -> box.open("v1:k1:AAAA", "ctx"))
        .isInstanceOf(SecretBox.SealedValueException.class);
    assertThatThrownBy(() -> box.open("plain text", "ctx"))
        .isInstanceOf(SecretBox.SealedValueException.class);
  }

  @Test
  void rotationKeepsOldValuesReadableAndSealsNewOnesWithTheActiveKey() {
    String old = new SecretBox(Map.of("k1", k1), "k1").seal("s3cret", "ctx");
    SecretBox rotated = new SecretBox(Map.of("k1", k1, "k2", k2), "k2");
    assertThat(rotated.open(old, "ctx")).isEqualTo("s3cret");
    assertThat(rotated.needsReseal(old)).isTrue();
    String fresh = rotated.seal(rotated.open(old, "ctx"), "ctx");
    assertThat(fresh).startsWith("v1:k2:");
    assertThat(rotated.needsReseal(fresh)).isFalse();
    SecretBox withoutOld = new SecretBox(Map.of("k2", k2), "k2");
    assertThatThrownBy(() -> withoutOld.open(old, "ctx"))
        .hasMessageContaining("'k1'")
        .hasMessageContaining("sessionbridge.security.encryption-keys");
  }

  @Test
  void badKeysAreRefusedWithThePropertyNamedAndNoKeyMaterialPrinted() {
    assertThatThrownBy(() -> new SecretBox(Map.of("k1", new byte[16]), "k1"))
        .hasMessageContaining("sessionbridge.security.encryption-keys.k1 must be 32 bytes");
    assertThatThrownBy(() -> new SecretBox(Map.of("k1", k1), "k9"))
        .hasMessageContaining("sessionbridge.security.active-key-id");
    assertThatThrownBy(() -> new SecretBox(Map.of("bad id!", k1), "bad id!"))
        .hasMessageContaining("key id");
    assertThat(new SecretBox(Map.of("k1", k1), "k1").toString())
        .isEqualTo("SecretBox[active=k1, keys=[k1]]");
  }
}
