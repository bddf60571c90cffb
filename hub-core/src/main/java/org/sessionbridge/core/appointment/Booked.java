package org.sessionbridge.core.appointment;

/**
 * The result of a booking: {@code replayed} when an earlier request with the same idempotency key
 * made it.
 */
public record Booked(Appointment appointment, boolean replayed) {}
