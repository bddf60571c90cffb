package org.sessionbridge.config.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.error.NotFoundException;
import org.sessionbridge.core.practice.Client;
import org.sessionbridge.core.practice.PracticeStore;
import org.sessionbridge.core.practice.Staff;
import org.sessionbridge.core.practice.StaffRole;
import org.sessionbridge.core.practice.TelehealthRoles;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Providers (staff) and clients of the calling practice; video services are in {@link
 * TelehealthApi}.
 */
@RestController
@RequestMapping("/api/v1")
final class PeopleApi {

  private final PracticeStore practices;
  private final int maxPageSize;

  private final TelehealthRoles roles;

  PeopleApi(
      PracticeStore practices,
      org.sessionbridge.config.settings.SessionBridgeProperties p,
      TelehealthRoles roles) {
    this.practices = practices;
    this.roles = roles;
    this.maxPageSize = p.api().maxPageSize();
  }

  record NewProvider(
      @Nullable String name,
      @Nullable String email,
      @Nullable String timeZone,
      @Nullable String role,
      @Nullable Boolean telehealthEnabled) {}

  record ProviderView(
      UUID id,
      String name,
      String email,
      String timeZone,
      StaffRole role,
      boolean telehealthEnabled,
      String createdAt) {
    static ProviderView of(Staff s) {
      return new ProviderView(
          s.id(),
          s.name(),
          s.email(),
          s.timeZone().getId(),
          s.role(),
          s.telehealthEnabled(),
          s.createdAt().toString());
    }
  }

  record NewClient(@Nullable String name, @Nullable String email, @Nullable String phone) {}

  record ClientView(UUID id, String name, String email, @Nullable String phone, String createdAt) {
    static ClientView of(Client c) {
      return new ClientView(c.id(), c.name(), c.email(), c.phone(), c.createdAt().toString());
    }
  }

  @PostMapping("/providers")
  @Tag(name = "Providers")
  @Operation(
      summary = "Add a provider (staff member; role PROVIDER unless given)",
      description =
          "telehealthEnabled: true grants the telehealth role at once and needs X-Acting-Staff"
              + " naming an OWNER or MANAGER (audited); otherwise grant it later with POST"
              + " /api/v1/providers/{id}/telehealth-role.")
  ResponseEntity<ProviderView> createProvider(
      Caller.PracticeMember caller,
      @RequestHeader(name = TelehealthRoles.ACTOR_FIELD, required = false) @Nullable String actor,
      @RequestBody NewProvider body) {
    FieldCheck check = new FieldCheck();
    String name = check.text("name", body.name(), 200, true);
    String email = check.email("email", body.email(), true);
    ZoneId zone = check.zone("timeZone", body.timeZone(), true);
    StaffRole role = check.oneOf("role", body.role(), StaffRole.class, false);
    UUID actorId = check.uuid(TelehealthRoles.ACTOR_FIELD, actor, false);
    check.done();
    Staff staff =
        roles.createStaff(
            caller.practiceId(),
            actorId,
            Objects.requireNonNull(name),
            Objects.requireNonNull(email),
            Objects.requireNonNull(zone),
            role == null ? StaffRole.PROVIDER : role,
            Boolean.TRUE.equals(body.telehealthEnabled()));
    return ResponseEntity.created(URI.create("/api/v1/providers/" + staff.id()))
        .body(ProviderView.of(staff));
  }

  @GetMapping("/providers")
  @Tag(name = "Providers")
  List<ProviderView> providers(Caller.PracticeMember caller) {
    return practices.staff(caller.practiceId()).stream().map(ProviderView::of).toList();
  }

  @GetMapping("/providers/{id}")
  @Tag(name = "Providers")
  ProviderView provider(Caller.PracticeMember caller, @PathVariable UUID id) {
    return ProviderView.of(requireProvider(caller, id));
  }

  @PostMapping("/clients")
  @Tag(name = "Clients")
  @Operation(summary = "Add a client; phone in E.164 form if given")
  ResponseEntity<ClientView> createClient(
      Caller.PracticeMember caller, @RequestBody NewClient body) {
    FieldCheck check = new FieldCheck();
    String name = check.text("name", body.name(), 200, true);
    String email = check.email("email", body.email(), true);
    String phone = check.phone("phone", body.phone());
    check.done();
    Client client =
        practices.createClient(
            caller.practiceId(),
            Objects.requireNonNull(name),
            Objects.requireNonNull(email),
            phone);
    return ResponseEntity.created(URI.create("/api/v1/clients/" + client.id()))
        .body(ClientView.of(client));
  }

  @GetMapping("/clients")
  @Tag(name = "Clients")
  List<ClientView> clients(
      Caller.PracticeMember caller,
      @RequestParam(defaultValue = "100") int limit,
      @RequestParam(defaultValue = "0") int offset) {
    FieldCheck.page(limit, offset, maxPageSize);
    return practices.clients(caller.practiceId(), limit, offset).stream()
        .map(ClientView::of)
        .toList();
  }

  @GetMapping("/clients/{id}")
  @Tag(name = "Clients")
  ClientView client(Caller.PracticeMember caller, @PathVariable UUID id) {
    return practices
        .client(caller.practiceId(), id)
        .map(ClientView::of)
        .orElseThrow(() -> new NotFoundException("client"));
  }

  private Staff requireProvider(Caller.PracticeMember caller, UUID id) {
    return practices
        .staff(caller.practiceId(), id)
        .orElseThrow(() -> new NotFoundException("provider"));
  }
}
