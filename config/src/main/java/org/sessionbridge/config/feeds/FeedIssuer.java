package org.sessionbridge.config.feeds;

import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.config.settings.SessionBridgeProperties;
import org.sessionbridge.core.error.NotFoundException;
import org.sessionbridge.core.feed.Feed;
import org.sessionbridge.core.feed.FeedOwner;
import org.sessionbridge.core.feed.FeedStore;
import org.sessionbridge.core.feed.IssuedFeed;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Issues, lists, rotates and revokes feeds for the API; revocation takes effect on this node at
 * once.
 */
public final class FeedIssuer {

  private final FeedStore feeds;
  private final FeedContent content;
  private final TransactionOperations tx;
  private final String publicBaseUrl;

  FeedIssuer(
      FeedStore feeds,
      FeedContent content,
      TransactionOperations tx,
      SessionBridgeProperties properties) {
    this.feeds = feeds;
    this.content = content;
    this.tx = tx;
    this.publicBaseUrl = properties.publicBaseUrl();
  }

  /**
   * A newly issued feed with every address for it; the secret is in these links and nowhere else.
   */
  public record Issued(Feed feed, FeedLinks links) {}

  public Issued issue(UUID practiceId, FeedOwner kind, UUID ownerId, @Nullable String label) {
    return issued(feeds.issue(practiceId, kind, ownerId, label));
  }

  /** Issues a replacement with the same owner and label and revokes the old feed, atomically. */
  public Issued rotate(UUID practiceId, UUID feedId) {
    IssuedFeed fresh =
        tx.execute(
            status -> {
              Feed old =
                  feeds
                      .feed(practiceId, feedId)
                      .filter(f -> !f.revoked())
                      .orElseThrow(() -> new NotFoundException("active feed"));
              feeds.revoke(practiceId, feedId);
              return feeds.issue(practiceId, old.ownerKind(), old.ownerId(), old.label());
            });
    content.evict(feedId);
    return issued(fresh);
  }

  public void revoke(UUID practiceId, UUID feedId) {
    if (!feeds.revoke(practiceId, feedId)) {
      throw new NotFoundException("feed");
    }
    content.evict(feedId);
  }

  public List<Feed> list(UUID practiceId, FeedOwner kind, UUID ownerId) {
    return feeds.feeds(practiceId, kind, ownerId);
  }

  private Issued issued(IssuedFeed issued) {
    return new Issued(issued.feed(), FeedLinks.of(publicBaseUrl, issued.secret(), "Sessions"));
  }
}
