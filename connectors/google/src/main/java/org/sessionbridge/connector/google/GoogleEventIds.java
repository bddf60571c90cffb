package org.sessionbridge.connector.google;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The Google event id of an appointment's event, chosen by us so that creating it is idempotent: a
 * second insert with the same id answers 409 instead of making a second event (API-NOTES §3.2).
 *
 * <p>Google wants base32hex characters (RFC 4648 §7, lowercase {@code a–v} and {@code 0–9}), 5 to
 * 1024 of them. The id is {@code sb} and the 16 bytes of the appointment's UUID in unpadded
 * base32hex: 28 characters. It is reversible, so deleted events that Google reports with nothing
 * but their id and {@code status: cancelled} are still recognised as ours. Google's own ids are 26
 * characters and recurring instances carry {@code _}, so they do not take this shape by accident
 * (and a decoded id must also have zero padding bits).
 */
final class GoogleEventIds {

  private static final String PREFIX = "sb";
  private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuv".toCharArray();
  private static final int ENCODED_UUID_LENGTH = 26; // ceil(128 / 5)

  private GoogleEventIds() {}

  /** {@code sb} + base32hex of the UUID's 16 bytes, big-endian. */
  static String forAppointment(UUID appointmentId) {
    ByteBuffer bytes = ByteBuffer.allocate(16);
    bytes.putLong(appointmentId.getMostSignificantBits());
    bytes.putLong(appointmentId.getLeastSignificantBits());
    return PREFIX + base32hex(bytes.array());
  }

  /** The appointment whose event has this id, if it is one of ours. */
  static Optional<UUID> appointmentOf(String eventId) {
    if (eventId.length() != PREFIX.length() + ENCODED_UUID_LENGTH || !eventId.startsWith(PREFIX)) {
      return Optional.empty();
    }
    byte[] bytes = decode(eventId.substring(PREFIX.length()), 16);
    if (bytes == null) {
      return Optional.empty();
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    return Optional.of(new UUID(buffer.getLong(), buffer.getLong()));
  }

  /** RFC 4648 §7 base32hex, lowercase, without padding. */
  static String base32hex(byte[] data) {
    StringBuilder out = new StringBuilder((data.length * 8 + 4) / 5);
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(ALPHABET[(buffer >>> (bits - 5)) & 0x1f]);
        bits -= 5;
      }
    }
    if (bits > 0) {
      out.append(ALPHABET[(buffer << (5 - bits)) & 0x1f]);
    }
    return out.toString();
  }

  /** Decodes exactly {@code length} bytes, or null if the text is not their canonical encoding. */
  private static byte @Nullable [] decode(String text, int length) {
    byte[] out = new byte[length];
    int buffer = 0;
    int bits = 0;
    int index = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int value;
      if (c >= '0' && c <= '9') {
        value = c - '0';
      } else if (c >= 'a' && c <= 'v') {
        value = c - 'a' + 10;
      } else {
        return null;
      }
      buffer = (buffer << 5) | value;
      bits += 5;
      if (bits >= 8) {
        if (index == length) {
          return null;
        }
        out[index++] = (byte) (buffer >>> (bits - 8));
        bits -= 8;
      }
      buffer &= (1 << bits) - 1;
    }
    return index == length && buffer == 0 ? out : null;
  }
}
