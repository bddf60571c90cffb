package org.sessionbridge.core.feed;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A subscription feed; its secret is never stored, only its hash. */
public record Feed(
    UUID id,
    UUID practiceId,
    FeedOwner ownerKind,
    UUID ownerId,
    @Nullable String label,
    Instant createdAt,
    @Nullable Instant revokedAt) {

  public boolean revoked() {
    return revokedAt != null;
  }
}
