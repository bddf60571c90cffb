package org.sessionbridge.connector.zoom;

import java.util.Optional;
import java.util.UUID;

/**
 * Providers who host on their personal Zoom account, authorised through {@link ZoomUserOAuth}:
 * their user-level access tokens, and which meetings are theirs. Typically the provider token
 * store, opened by the composition root, which also refreshes (with rotation) when a token runs
 * out.
 *
 * <p>{@link ZoomMeetingPlatform} treats a host {@code personal:<providerId>} as such a provider and
 * calls Zoom with their token and user id {@code me}; for calls that only name a meeting it asks
 * {@link #personalHostOf}. Called from many threads at once: must be thread-safe.
 */
public interface ZoomUserAccounts {

  /** The host prefix: {@code personal:<providerId>}. */
  String PERSONAL_PREFIX = "personal:";

  /**
   * A usable access token of the provider, refreshed if needed; empty when the provider has not
   * authorised or must authorise again (Zoom refused the refresh). Throws a {@link ZoomException}
   * when Zoom could not be asked.
   */
  Optional<String> accessToken(UUID practiceId, UUID providerId);

  /** Zoom answered 401 to {@code rejected}: the next {@link #accessToken} must not return it. */
  void invalidate(UUID practiceId, UUID providerId, String rejected);

  /** The provider whose personal account hosts the practice's meeting, if it is such a meeting. */
  Optional<UUID> personalHostOf(UUID practiceId, String meetingId);

  /** No provider hosts on a personal account. */
  ZoomUserAccounts NONE =
      new ZoomUserAccounts() {
        @Override
        public Optional<String> accessToken(UUID practiceId, UUID providerId) {
          return Optional.empty();
        }

        @Override
        public void invalidate(UUID practiceId, UUID providerId, String rejected) {}

        @Override
        public Optional<UUID> personalHostOf(UUID practiceId, String meetingId) {
          return Optional.empty();
        }
      };

  /** The provider named by a {@code personal:<providerId>} host; empty for any other host. */
  static Optional<UUID> personalProvider(String host) {
    if (host == null || !host.startsWith(PERSONAL_PREFIX)) {
      return Optional.empty();
    }
    try {
      return Optional.of(UUID.fromString(host.substring(PERSONAL_PREFIX.length()).strip()));
    } catch (IllegalArgumentException notAUuid) {
      return Optional.empty();
    }
  }

  /** {@code personal:<providerId>}. */
  static String personalHost(UUID providerId) {
    return PERSONAL_PREFIX + providerId;
  }
}
