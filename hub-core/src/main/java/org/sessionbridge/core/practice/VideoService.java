package org.sessionbridge.core.practice;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A video service a provider offers; link services carry the provider's own join URL. */
public record VideoService(
    UUID id,
    UUID providerId,
    VideoPlatform platform,
    @Nullable String url,
    @Nullable String joinInstructions,
    boolean isDefault,
    Instant createdAt) {}
