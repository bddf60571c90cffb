package org.sessionbridge.config.api;

import java.util.UUID;

/** Who is calling, as established from the bearer key by {@link ApiAuthInterceptor}. */
sealed interface Caller permits Caller.Operator, Caller.PracticeMember {

  String REQUEST_ATTRIBUTE = Caller.class.getName();

  /** The hub's operator: creates practices, manages dead letters. */
  record Operator() implements Caller {}

  /** A practice's system, holding that practice's API key. */
  record PracticeMember(UUID practiceId) implements Caller {}
}
