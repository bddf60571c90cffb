package org.sessionbridge.core.join;

import java.net.URI;
import java.util.Objects;
import java.util.UUID;

/**
 * A participant's time-boxed join link, {@code {public-base-url}/join/{token}}: what feeds,
 * invitations and reminders give clients instead of the platform's URL, so the real meeting URL
 * does not live on in their calendars.
 */
public final class JoinPassLinks {

  private final JoinPasses passes;
  private final String base;

  /**
   * @param publicBaseUrl {@code sessionbridge.public-base-url}
   */
  public JoinPassLinks(JoinPasses passes, String publicBaseUrl) {
    this.passes = Objects.requireNonNull(passes, "passes");
    String b = publicBaseUrl.strip();
    while (b.endsWith("/")) {
      b = b.substring(0, b.length() - 1);
    }
    this.base = b;
  }

  public URI linkFor(
      UUID practiceId, UUID appointmentId, JoinPass.Participant kind, UUID participantId) {
    return URI.create(
        base + "/join/" + passes.passFor(practiceId, appointmentId, kind, participantId).token());
  }
}
