package org.sessionbridge.core.outbox;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.appointment.ChangeType;

/**
 * An outbox event that failed every attempt. {@code reason} is the exception type and message of
 * the last failure, as the handler wrote it; handlers keep PHI out of their messages.
 */
public record DeadLetter(
    long eventId,
    UUID practiceId,
    UUID appointmentId,
    long version,
    ChangeType type,
    int attempts,
    @Nullable String handler,
    @Nullable String reason,
    Instant occurredAt,
    @Nullable Instant failedAt) {}
