package org.sessionbridge.core.error;

/**
 * The thing does not exist for the caller. Another practice's ids end here too: a practice never
 * learns that an id exists elsewhere (404, not 403).
 */
public final class NotFoundException extends RuntimeException {

  public NotFoundException(String what) {
    super("no " + what + " with this id in your practice");
  }
}
