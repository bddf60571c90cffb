package org.sessionbridge.config.feeds;

import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.feed.Feed;
import org.springframework.http.HttpStatus;

/**
 * Who may see a feed: the secret is the only credential. Unknown and revoked secrets take the same
 * path (one lookup by hash) and differ only in the answer: 404, or 410 so calendar apps stop
 * polling a revoked feed. An address that keeps missing gets 429 for a while.
 */
final class FeedAccess {

  private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{16,128}");

  private final FeedContent content;
  private final MissLimiter misses;

  FeedAccess(FeedContent content, MissLimiter misses) {
    this.content = content;
    this.misses = misses;
  }

  /** Either the live feed, or why not (status, what to tell the caller, seconds to wait). */
  record Access(@Nullable Feed feed, HttpStatus status, String detail, long retryAfterSeconds) {}

  Access check(String secret, String address) {
    if (misses.blocked(address)) {
      return new Access(
          null,
          HttpStatus.TOO_MANY_REQUESTS,
          "too many requests for feeds that do not exist from this address; wait and retry",
          Math.max(1, misses.retryAfterSeconds(address)));
    }
    Optional<Feed> feed =
        SECRET.matcher(secret).matches() ? content.resolve(secret) : Optional.empty();
    if (feed.isPresent() && !feed.get().revoked()) {
      return new Access(feed.get(), HttpStatus.OK, "", 0);
    }
    misses.miss(address);
    return feed.isEmpty()
        ? new Access(null, HttpStatus.NOT_FOUND, "there is no calendar feed at this address", 0)
        : new Access(
            null,
            HttpStatus.GONE,
            "this calendar feed was turned off; ask the practice for a new link",
            0);
  }
}
