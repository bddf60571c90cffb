package org.sessionbridge.core.practice;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A video service a provider offers; link services carry the provider's own join URL.
 *
 * @param hostAccount for hub-managed platforms, the provider's account there when it is not their
 *     e-mail (a Zoom user id); {@code null} means the provider's e-mail
 */
public record VideoService(
    UUID id,
    UUID providerId,
    VideoPlatform platform,
    @Nullable String url,
    @Nullable String joinInstructions,
    boolean isDefault,
    Instant createdAt,
    @Nullable String hostAccount) {}
