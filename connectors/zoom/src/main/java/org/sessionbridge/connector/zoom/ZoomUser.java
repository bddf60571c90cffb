package org.sessionbridge.connector.zoom;

/**
 * A Zoom user as {@code GET /users/me} describes it. {@link #toString()} leaves out the e-mail.
 *
 * @param id Zoom's user id, e.g. {@code KDcuGIm1QgePTO8WbOqwIQ}
 * @param email the user's login e-mail; empty if Zoom did not send it
 * @param accountId the Zoom account the user belongs to; empty if Zoom did not send it
 */
public record ZoomUser(String id, String email, String accountId) {
  @Override
  public String toString() {
    return "ZoomUser[" + id + ", accountId=" + accountId + "]";
  }
}
