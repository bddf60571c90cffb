package org.sessionbridge.core.calendar;

import org.sessionbridge.core.port.CalendarProviderException;

/**
 * How a connector authenticates against one linked calendar account (a provider's Google or
 * Microsoft account): a bearer token on demand. The hub's credential vault implements it and
 * refreshes the token once, however many threads ask at the same moment.
 *
 * <p><b>Threading.</b> Called from any thread, before every request; must be cheap when the token
 * is cached.
 */
public interface CalendarAccount {

  /**
   * A stable identifier of the linked account (for example {@code google:<providerId>}), used to
   * keep per-account guards such as rate limiters. No e-mail address, name or token.
   */
  String id();

  /**
   * A valid access token.
   *
   * @throws CalendarProviderException.NotAuthorized the vendor refused the refresh token ({@code
   *     invalid_grant}: consent revoked, token expired): the link needs re-authorisation
   * @throws CalendarProviderException.Retryable the token endpoint could not be reached
   */
  String accessToken();

  /**
   * The vendor refused {@code rejected} (HTTP 401): drop it, so that the next {@link
   * #accessToken()} refreshes. Ignore the call when the cached token is already a newer one.
   */
  void invalidate(String rejected);
}
