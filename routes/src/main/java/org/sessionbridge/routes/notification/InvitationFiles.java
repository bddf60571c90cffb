package org.sessionbridge.routes.notification;

import java.util.Optional;
import java.util.UUID;

/**
 * The single-appointment .ics a client's confirmation or notice carries: their own invitation
 * (their own join link, no other client in it), METHOD:REQUEST for a booked session and
 * METHOD:CANCEL once it is cancelled. Rendered by the hub's invitation renderer (config wires it).
 */
@FunctionalInterface
public interface InvitationFiles {

  /** The client's invitation as it stands now; empty when it cannot be made (client gone). */
  Optional<byte[]> forClient(UUID practiceId, UUID appointmentId, UUID clientId);

  InvitationFiles NONE = (practiceId, appointmentId, clientId) -> Optional.empty();
}
