package org.sessionbridge.core.appointment;

/** Where a session happens. */
public enum Modality {
  IN_PERSON,
  TELEHEALTH
}
