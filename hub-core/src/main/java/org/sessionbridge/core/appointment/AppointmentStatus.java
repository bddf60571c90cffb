package org.sessionbridge.core.appointment;

/** Life of an appointment; CANCELLED and COMPLETED are final. */
public enum AppointmentStatus {
  BOOKED,
  CANCELLED,
  COMPLETED
}
