package org.sessionbridge.core.credential;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets with AES-256-GCM. A sealed value names its key ({@code v1:<keyId>:<base64url(iv ‖
 * ciphertext ‖ tag)>}), so keys can be rotated: seal with the active key, keep the old ones
 * configured until {@link #needsReseal} finds nothing sealed with them. The caller's context (e.g.
 * {@code practice:<id>:zoom}) is bound in as additional authenticated data, so a sealed value
 * copied to another row does not open there.
 *
 * <p>Thread-safe. Neither secrets nor keys ever appear in exceptions or {@link #toString()}.
 */
public final class SecretBox {

  private static final String VERSION = "v1";
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, SecretKeySpec> keys;
  private final String activeKeyId;

  /**
   * @param keys key id → 32 random bytes (AES-256); ids are letters, digits, '-' and '_'
   * @param activeKeyId the key new values are sealed with
   */
  public SecretBox(Map<String, byte[]> keys, String activeKeyId) {
    Map<String, SecretKeySpec> specs = new TreeMap<>();
    keys.forEach(
        (id, key) -> {
          if (!id.matches("[A-Za-z0-9_-]{1,32}")) {
            throw new IllegalArgumentException(
                "sessionbridge.security.encryption-keys: key id must be 1-32 letters, digits, '-'"
                    + " or '_': "
                    + id);
          }
          if (key.length != 32) {
            throw new IllegalArgumentException(
                "sessionbridge.security.encryption-keys."
                    + id
                    + " must be 32 bytes (base64 of 32 random bytes, e.g. openssl rand -base64 32),"
                    + " not "
                    + key.length);
          }
          specs.put(id, new SecretKeySpec(key.clone(), "AES"));
        });
    if (!specs.containsKey(activeKeyId)) {
      throw new IllegalArgumentException(
          "sessionbridge.security.active-key-id names no configured key: " + activeKeyId);
    }
    this.keys = Map.copyOf(specs);
    this.activeKeyId = activeKeyId;
  }

  /** Seals {@code secret} under the active key, bound to {@code context}. */
  public String seal(String secret, String context) {
    byte[] iv = new byte[IV_BYTES];
    RANDOM.nextBytes(iv);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, keys.get(activeKeyId), new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
      byte[] out = ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
      return VERSION
          + ":"
          + activeKeyId
          + ":"
          + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is required by every Java platform", e);
    }
  }

  /**
   * Opens a sealed value. Fails (without saying more) when it was sealed for another context, was
   * altered, or names a key that is no longer configured.
   */
  public String open(String sealed, String context) {
    String[] parts = sealed.split(":", 3);
    if (parts.length != 3 || !VERSION.equals(parts[0])) {
      throw new SealedValueException("not a sealed value of this hub");
    }
    SecretKeySpec key = keys.get(parts[1]);
    if (key == null) {
      throw new SealedValueException(
          "sealed with key '"
              + parts[1]
              + "', which is not configured; keep old keys in"
              + " sessionbridge.security.encryption-keys until everything is resealed");
    }
    try {
      byte[] bytes = Base64.getUrlDecoder().decode(parts[2]);
      if (bytes.length <= IV_BYTES) {
        throw new SealedValueException("sealed value is truncated");
      }
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, IV_BYTES));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      byte[] plain = cipher.doFinal(bytes, IV_BYTES, bytes.length - IV_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      // Deliberately no cause: nothing about the value or the key leaves this method.
      throw new SealedValueException(
          "sealed value does not open: altered, or sealed for another record");
    }
  }

  /** True when {@code sealed} was sealed with a key other than the active one. */
  public boolean needsReseal(String sealed) {
    String[] parts = sealed.split(":", 3);
    return parts.length != 3 || !activeKeyId.equals(parts[1]);
  }

  @Override
  public String toString() {
    return "SecretBox[active=" + activeKeyId + ", keys=" + keys.keySet() + "]";
  }

  /** A sealed value that cannot be opened; the message is safe to log. */
  public static final class SealedValueException extends RuntimeException {
    SealedValueException(String message) {
      super(message);
    }
  }
}
