package org.sessionbridge.core.appointment;

/**
 * What an appointment change did; handlers mostly care about the snapshot, this is for routing and
 * audit.
 */
public enum ChangeType {
  BOOKED,
  RESCHEDULED,
  UPDATED,
  CANCELLED,
  COMPLETED
}
