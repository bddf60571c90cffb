package org.sessionbridge.core.outbox;

import java.time.Instant;
import java.util.Optional;

/** How far behind the outbox is: what an operator and the metrics look at first. */
public record OutboxStats(
    long pending, long delivered, long dead, Optional<Instant> oldestPendingOccurredAt) {}
