package org.sessionbridge.core.availability;

import org.sessionbridge.core.appointment.Modality;

/** Which sessions a working section is for. */
public enum SectionModality {
  IN_PERSON,
  TELEHEALTH,
  BOTH;

  /** Whether a session of this modality may take place in the section. */
  public boolean offers(Modality modality) {
    return this == BOTH || name().equals(modality.name());
  }

  /** Whether the section offers video sessions (and so may name video services). */
  public boolean offersTelehealth() {
    return offers(Modality.TELEHEALTH);
  }
}
