package org.sessionbridge.core.practice;

import java.time.Instant;
import java.time.ZoneId;
import java.util.UUID;

/** A therapy practice: the tenant. Everything else belongs to exactly one practice. */
public record Practice(
    UUID id, String name, ZoneId timeZone, String apiKeyHint, Instant createdAt) {}
