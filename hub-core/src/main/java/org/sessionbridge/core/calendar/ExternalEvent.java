package org.sessionbridge.core.calendar;

import java.util.Objects;

/**
 * The external event as the calendar stored it after an upsert.
 *
 * @param externalId the calendar's id of the event (deterministic per appointment)
 * @param etag the calendar's version tag of the event as written
 * @param appointmentVersion the appointment version the event now reflects
 * @param created whether this call created the event ({@code false}: it existed and was updated)
 */
public record ExternalEvent(
    String externalId, String etag, long appointmentVersion, boolean created) {

  public ExternalEvent {
    Objects.requireNonNull(externalId, "externalId");
    Objects.requireNonNull(etag, "etag");
  }
}
