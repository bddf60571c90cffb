package org.sessionbridge.core.meeting;

import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import org.sessionbridge.core.store.Sha256;

/**
 * The tag an appointment's meeting carries on the platform ({@code sb-} and 12 hex digits of a hash
 * of the appointment id): no PHI, stable across retries, so a create whose answer was lost can be
 * found again, and meetings the hub made but no longer records (orphans) can be recognised.
 */
public final class MeetingReference {

  private static final Pattern TAG = Pattern.compile("\\bsb-[0-9a-f]{12}\\b");

  private MeetingReference() {}

  public static String of(UUID appointmentId) {
    return "sb-" + Sha256.hex("meeting:" + appointmentId).substring(0, 12);
  }

  /** The title participants see: generic, with the reference at the end. */
  public static String topic(String reference) {
    return "Telehealth session (" + reference + ")";
  }

  /** The reference a meeting title carries, if the hub made it. */
  public static java.util.Optional<String> in(String topic) {
    var m = TAG.matcher(topic.toLowerCase(Locale.ROOT));
    return m.find() ? java.util.Optional.of(m.group()) : java.util.Optional.empty();
  }
}
