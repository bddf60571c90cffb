package org.sessionbridge.core.practice;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A client (patient) of the practice. Name, email and phone are PHI: never logged, see {@link
 * #toString()}.
 */
public record Client(
    UUID id,
    UUID practiceId,
    String name,
    String email,
    @Nullable String phone,
    Instant createdAt) {

  @Override
  public String toString() {
    return "Client[id=" + id + ", practiceId=" + practiceId + "]";
  }
}
