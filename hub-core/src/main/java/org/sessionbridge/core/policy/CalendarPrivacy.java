package org.sessionbridge.core.policy;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.sessionbridge.core.appointment.Modality;
import org.sessionbridge.core.practice.Client;

/**
 * Minimum necessary in calendar output (feeds, invitations, external calendar events): summaries
 * built only from what the audience needs. Never the appointment title (free text that may hold
 * clinical detail), never client emails, phones or full names.
 */
public final class CalendarPrivacy {

  private CalendarPrivacy() {}

  /** What the provider sees, e.g. "Video session – J.D." or "Group session (3 clients)". */
  public static String providerSummary(Modality modality, List<Client> clients, ClientLabel label) {
    String kind = modality == Modality.TELEHEALTH ? "Video session" : "Session";
    if (clients.size() > 1) {
      return "Group " + kind.toLowerCase(Locale.ROOT) + " (" + clients.size() + " clients)";
    }
    if (clients.isEmpty() || label == ClientLabel.NONE) {
      return kind;
    }
    Client client = clients.get(0);
    return kind
        + " – "
        + (label == ClientLabel.INITIALS ? initials(client.name()) : reference(client.id()));
  }

  /** What a client sees in their own calendar: who they meet, nothing about other clients. */
  public static String clientSummary(Modality modality, String providerName, boolean group) {
    String kind =
        group ? "Group session" : modality == Modality.TELEHEALTH ? "Video session" : "Session";
    return kind + " with " + providerName;
  }

  /** "Jordan Lee" → "J.L."; "Zoë" → "Z."; letters only, at most three. */
  public static String initials(String name) {
    StringBuilder sb = new StringBuilder();
    for (String part : name.trim().split("[\\s\\-]+")) {
      if (sb.length() >= 6) {
        break;
      }
      int cp = part.isEmpty() ? -1 : part.codePointAt(0);
      if (cp > 0 && Character.isLetter(cp)) {
        sb.append(
                Normalizer.normalize(new String(Character.toChars(cp)), Normalizer.Form.NFC)
                    .toUpperCase(Locale.ROOT))
            .append('.');
      }
    }
    return sb.length() == 0 ? "?" : sb.toString();
  }

  /** A stable internal reference that says nothing about the person: "C-3F9A2B". */
  public static String reference(UUID clientId) {
    return "C-" + clientId.toString().substring(0, 6).toUpperCase(Locale.ROOT);
  }
}
