package org.sessionbridge.config.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.config.feeds.FeedIssuer;
import org.sessionbridge.config.feeds.FeedLinks;
import org.sessionbridge.core.error.NotFoundException;
import org.sessionbridge.core.feed.Feed;
import org.sessionbridge.core.feed.FeedOwner;
import org.sessionbridge.core.practice.PracticeStore;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Secret ICS subscription feeds for providers and clients. The secret is in the answer to POST (and
 * to rotate) and nowhere else: the hub stores its hash. A provider may hold several feeds, one per
 * device, each revocable on its own.
 */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Feeds")
final class FeedApi {

  private final FeedIssuer issuer;
  private final PracticeStore practices;

  FeedApi(FeedIssuer issuer, PracticeStore practices) {
    this.issuer = issuer;
    this.practices = practices;
  }

  record NewFeed(@Nullable String label) {}

  record IssuedFeedView(
      UUID id,
      String ownerKind,
      UUID ownerId,
      @Nullable String label,
      String url,
      String webcalUrl,
      String subscribeUrl,
      String googleUrl,
      String outlookUrl,
      String microsoft365Url,
      String createdAt) {
    static IssuedFeedView of(FeedIssuer.Issued issued) {
      Feed f = issued.feed();
      FeedLinks l = issued.links();
      return new IssuedFeedView(
          f.id(),
          f.ownerKind().name(),
          f.ownerId(),
          f.label(),
          l.url(),
          l.webcalUrl(),
          l.subscribeUrl(),
          l.googleUrl(),
          l.outlookUrl(),
          l.microsoft365Url(),
          f.createdAt().toString());
    }

    @Override
    public String toString() {
      return "IssuedFeedView[id=" + id + ", links=<redacted>]";
    }
  }

  record FeedView(
      UUID id,
      String ownerKind,
      UUID ownerId,
      @Nullable String label,
      String createdAt,
      @Nullable String revokedAt) {
    static FeedView of(Feed f) {
      return new FeedView(
          f.id(),
          f.ownerKind().name(),
          f.ownerId(),
          f.label(),
          f.createdAt().toString(),
          f.revokedAt() == null ? null : f.revokedAt().toString());
    }
  }

  @PostMapping("/providers/{id}/feeds")
  @Operation(
      summary = "Issue a provider's feed; the answer is the only place its secret URL appears")
  ResponseEntity<IssuedFeedView> providerFeed(
      Caller.PracticeMember caller,
      @PathVariable UUID id,
      @RequestBody(required = false) @Nullable NewFeed body) {
    practices.staff(caller.practiceId(), id).orElseThrow(() -> new NotFoundException("provider"));
    return created(issuer.issue(caller.practiceId(), FeedOwner.PROVIDER, id, label(body)));
  }

  @PostMapping("/clients/{id}/feeds")
  @Operation(
      summary =
          "Issue a client's feed: only that client's sessions, no other client in group sessions")
  ResponseEntity<IssuedFeedView> clientFeed(
      Caller.PracticeMember caller,
      @PathVariable UUID id,
      @RequestBody(required = false) @Nullable NewFeed body) {
    practices.client(caller.practiceId(), id).orElseThrow(() -> new NotFoundException("client"));
    return created(issuer.issue(caller.practiceId(), FeedOwner.CLIENT, id, label(body)));
  }

  @GetMapping("/providers/{id}/feeds")
  List<FeedView> providerFeeds(Caller.PracticeMember caller, @PathVariable UUID id) {
    practices.staff(caller.practiceId(), id).orElseThrow(() -> new NotFoundException("provider"));
    return issuer.list(caller.practiceId(), FeedOwner.PROVIDER, id).stream()
        .map(FeedView::of)
        .toList();
  }

  @GetMapping("/clients/{id}/feeds")
  List<FeedView> clientFeeds(Caller.PracticeMember caller, @PathVariable UUID id) {
    practices.client(caller.practiceId(), id).orElseThrow(() -> new NotFoundException("client"));
    return issuer.list(caller.practiceId(), FeedOwner.CLIENT, id).stream()
        .map(FeedView::of)
        .toList();
  }

  @DeleteMapping("/feeds/{id}")
  @Operation(
      summary =
          "Revoke a feed: its URL answers 410 Gone from now on, so calendar apps stop polling")
  ResponseEntity<Void> revoke(Caller.PracticeMember caller, @PathVariable UUID id) {
    issuer.revoke(caller.practiceId(), id);
    return ResponseEntity.noContent().build();
  }

  @PostMapping("/feeds/{id}/rotate")
  @Operation(
      summary = "Replace a feed's secret: a new feed for the same owner, the old one revoked")
  ResponseEntity<IssuedFeedView> rotate(Caller.PracticeMember caller, @PathVariable UUID id) {
    return created(issuer.rotate(caller.practiceId(), id));
  }

  private static @Nullable String label(@Nullable NewFeed body) {
    if (body == null) {
      return null;
    }
    FieldCheck check = new FieldCheck();
    String label = check.text("label", body.label(), 100, false);
    check.done();
    return label;
  }

  private static ResponseEntity<IssuedFeedView> created(FeedIssuer.Issued issued) {
    return ResponseEntity.created(URI.create("/api/v1/feeds/" + issued.feed().id()))
        .header("Cache-Control", "no-store")
        .body(IssuedFeedView.of(issued));
  }
}
