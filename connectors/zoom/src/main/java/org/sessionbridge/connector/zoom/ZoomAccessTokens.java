package org.sessionbridge.connector.zoom;

/**
 * Where a {@link ZoomApi} gets its bearer token: the account's Server-to-Server token, or a
 * provider's user-level token (see {@link ZoomUserAccounts}).
 *
 * <p>Called from many threads at once; must be thread-safe. Failures are {@link ZoomException}s:
 * {@link ZoomAuthorizationException} when there is no usable authorisation (a person must act),
 * {@link ZoomTransientException} when the token could not be obtained now.
 */
public interface ZoomAccessTokens {

  /** A token valid for a while, obtained or refreshed only when needed. */
  String accessToken();

  /**
   * Zoom answered 401 to {@code rejected}: forget it, so that the next {@link #accessToken()}
   * obtains a new one. A token already replaced is left alone.
   */
  void invalidate(String rejected);
}
