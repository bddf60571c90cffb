package org.sessionbridge.core.join;

import java.util.UUID;

/**
 * One participant's pass to one telehealth session: the token behind {@code /join/{token}}.
 *
 * @param participantId the client's or the provider's id, as {@code kind} says
 */
public record JoinPass(
    String token, UUID practiceId, UUID appointmentId, Participant kind, UUID participantId) {

  /** Who holds the pass. */
  public enum Participant {
    CLIENT,
    PROVIDER
  }

  /** The token is the credential; it never goes to a log. */
  @Override
  public String toString() {
    return "JoinPass[appointment=" + appointmentId + ", " + kind + "=" + participantId + "]";
  }
}
