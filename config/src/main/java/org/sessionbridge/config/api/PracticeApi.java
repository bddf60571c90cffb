package org.sessionbridge.config.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.config.feeds.FeedGenerations;
import org.sessionbridge.core.error.NotFoundException;
import org.sessionbridge.core.policy.ClientLabel;
import org.sessionbridge.core.practice.CompliancePolicy;
import org.sessionbridge.core.practice.IssuedApiKey;
import org.sessionbridge.core.practice.Practice;
import org.sessionbridge.core.practice.PracticeSettings;
import org.sessionbridge.core.practice.PracticeStore;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Practices: created by the operator, each with its own API key shown once. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Practices")
final class PracticeApi {

  private final PracticeStore practices;
  private final FeedGenerations generations;

  PracticeApi(PracticeStore practices, FeedGenerations generations) {
    this.practices = practices;
    this.generations = generations;
  }

  record NewPractice(@Nullable String name, @Nullable String timeZone) {}

  record PracticeView(UUID id, String name, String timeZone, String apiKeyHint, String createdAt) {
    static PracticeView of(Practice p) {
      return new PracticeView(
          p.id(), p.name(), p.timeZone().getId(), p.apiKeyHint(), p.createdAt().toString());
    }
  }

  record IssuedKeyView(UUID id, String name, String timeZone, String apiKey, String apiKeyHint) {
    static IssuedKeyView of(IssuedApiKey issued) {
      Practice p = issued.practice();
      return new IssuedKeyView(
          p.id(), p.name(), p.timeZone().getId(), issued.apiKey(), p.apiKeyHint());
    }

    @Override
    public String toString() {
      return "IssuedKeyView[id=" + id + ", apiKey=<redacted>]";
    }
  }

  record SettingsView(@Nullable String location, ClientLabel feedClientLabel) {
    static SettingsView of(PracticeSettings s) {
      return new SettingsView(s.location(), s.feedClientLabel());
    }
  }

  record OwnPracticeView(
      PracticeView practice, CompliancePolicy compliancePolicy, SettingsView settings) {}

  record SettingsChange(@Nullable String location, @Nullable String feedClientLabel) {}

  @PostMapping("/practices")
  @Operation(
      summary = "Create a practice (operator key); answers its API key, shown only this once")
  ResponseEntity<IssuedKeyView> create(Caller.Operator operator, @RequestBody NewPractice body) {
    FieldCheck check = new FieldCheck();
    String name = check.text("name", body.name(), 200, true);
    ZoneId zone = check.zone("timeZone", body.timeZone(), true);
    check.done();
    IssuedApiKey issued =
        practices.createPractice(Objects.requireNonNull(name), Objects.requireNonNull(zone));
    return ResponseEntity.created(URI.create("/api/v1/practices/" + issued.practice().id()))
        .header("Cache-Control", "no-store")
        .body(IssuedKeyView.of(issued));
  }

  @GetMapping("/practices")
  @Operation(summary = "List practices (operator key)")
  List<PracticeView> list(Caller.Operator operator) {
    return practices.practices().stream().map(PracticeView::of).toList();
  }

  @GetMapping("/practices/{id}")
  @Operation(summary = "Read a practice (operator key)")
  PracticeView read(Caller.Operator operator, @PathVariable UUID id) {
    return practices
        .practice(id)
        .map(PracticeView::of)
        .orElseThrow(() -> new NotFoundException("practice"));
  }

  @PostMapping("/practices/{id}/api-key")
  @Operation(
      summary = "Rotate a practice's API key (operator key); the old key stops working at once")
  ResponseEntity<IssuedKeyView> rotate(Caller.Operator operator, @PathVariable UUID id) {
    return ResponseEntity.ok()
        .header("Cache-Control", "no-store")
        .body(IssuedKeyView.of(practices.rotateApiKey(id)));
  }

  @GetMapping("/practice")
  @Operation(summary = "The calling practice and its compliance policy")
  OwnPracticeView own(Caller.PracticeMember caller) {
    Practice p =
        practices
            .practice(caller.practiceId())
            .orElseThrow(() -> new NotFoundException("practice"));
    return new OwnPracticeView(
        PracticeView.of(p),
        practices.compliancePolicy(p.id()),
        SettingsView.of(practices.settings(p.id())));
  }

  @PatchMapping("/practice")
  @Operation(
      summary = "Change practice settings",
      description =
          "location: the address in-person sessions show in calendars. feedClientLabel: how"
              + " provider feeds name clients — INITIALS (default), REFERENCE or NONE.")
  OwnPracticeView changeSettings(Caller.PracticeMember caller, @RequestBody SettingsChange body) {
    FieldCheck check = new FieldCheck();
    String location = check.text("location", body.location(), 500, false);
    ClientLabel label =
        check.oneOf("feedClientLabel", body.feedClientLabel(), ClientLabel.class, false);
    check.done();
    practices.updateSettings(caller.practiceId(), location, label);
    generations.bump(caller.practiceId());
    return own(caller);
  }
}
