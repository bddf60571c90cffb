package org.sessionbridge.core.practice;

import java.time.Instant;
import java.time.ZoneId;
import java.util.UUID;

/** A member of the practice; providers are the staff who hold sessions. */
public record Staff(
    UUID id,
    UUID practiceId,
    String name,
    String email,
    ZoneId timeZone,
    StaffRole role,
    boolean telehealthEnabled,
    Instant createdAt) {

  @Override
  public String toString() {
    return "Staff[id=" + id + ", practiceId=" + practiceId + ", role=" + role + "]";
  }
}
