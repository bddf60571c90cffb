package org.sessionbridge.core.practice;

import java.time.ZoneId;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.error.ForbiddenException;
import org.sessionbridge.core.error.InvalidInputException;
import org.sessionbridge.core.error.NotFoundException;
import org.springframework.transaction.support.TransactionOperations;

/**
 * The telehealth role: only staff who hold it can have telehealth sessions booked, and only an
 * OWNER or MANAGER of the practice grants or revokes it. The practice's API key says which practice
 * calls; the acting staff member says who in it acts. Every grant and revoke is audited in the
 * transaction that makes it.
 */
public final class TelehealthRoles {

  /** Where the API takes the acting staff member from; refusals name it. */
  public static final String ACTOR_FIELD = "X-Acting-Staff";

  private final TransactionOperations tx;
  private final PracticeStore practices;
  private final TelehealthAudit audit;

  public TelehealthRoles(TransactionOperations tx, PracticeStore practices, TelehealthAudit audit) {
    this.tx = tx;
    this.practices = practices;
    this.audit = audit;
  }

  /** The outcome of a grant or revoke: the staff member as now, and whether anything changed. */
  public record RoleChange(Staff staff, boolean changed) {}

  /**
   * The acting staff member when they may govern telehealth (OWNER or MANAGER of the practice).
   *
   * @param what what they try to do, for the refusal ("grant the telehealth role")
   * @throws InvalidInputException (422) when no staff member of the practice has this id
   * @throws ForbiddenException (403) when the actor is a PROVIDER
   */
  public Staff requireGovernor(UUID practiceId, UUID actorId, String what) {
    Staff actor =
        practices
            .staff(practiceId, actorId)
            .orElseThrow(
                () ->
                    InvalidInputException.rule(
                        ACTOR_FIELD, "no staff member with this id in your practice"));
    if (actor.role() != StaffRole.OWNER && actor.role() != StaffRole.MANAGER) {
      throw new ForbiddenException(
          ACTOR_FIELD,
          "the acting staff member "
              + actor.id()
              + " is a "
              + actor.role()
              + "; only an OWNER or MANAGER may "
              + what);
    }
    return actor;
  }

  public RoleChange grant(UUID practiceId, UUID actorId, UUID targetId) {
    return change(practiceId, actorId, targetId, true);
  }

  public RoleChange revoke(UUID practiceId, UUID actorId, UUID targetId) {
    return change(practiceId, actorId, targetId, false);
  }

  /**
   * Adds a staff member; with {@code telehealth} the role is granted by {@code actorId} (who must
   * govern telehealth) and audited, all in one transaction.
   */
  public Staff createStaff(
      UUID practiceId,
      @Nullable UUID actorId,
      String name,
      String email,
      ZoneId zone,
      StaffRole role,
      boolean telehealth) {
    return Objects.requireNonNull(
        tx.execute(
            status -> {
              if (telehealth) {
                if (actorId == null) {
                  throw InvalidInputException.malformed(
                      ACTOR_FIELD,
                      "header is required to create a staff member with telehealthEnabled: it"
                          + " names the OWNER or MANAGER who grants the telehealth role");
                }
                requireGovernor(practiceId, actorId, "grant the telehealth role");
              }
              Staff staff = practices.createStaff(practiceId, name, email, zone, role, telehealth);
              if (telehealth) {
                audit.record(
                    practiceId,
                    Objects.requireNonNull(actorId),
                    staff.id(),
                    TelehealthAudit.Action.GRANT,
                    "granted when the staff member was added");
              }
              return staff;
            }));
  }

  private RoleChange change(UUID practiceId, UUID actorId, UUID targetId, boolean grant) {
    return Objects.requireNonNull(
        tx.execute(
            status -> {
              Staff target =
                  practices
                      .lockStaff(practiceId, targetId)
                      .orElseThrow(() -> new NotFoundException("provider"));
              requireGovernor(
                  practiceId, actorId, (grant ? "grant" : "revoke") + " the telehealth role");
              boolean changed = target.telehealthEnabled() != grant;
              if (changed) {
                practices.setTelehealthEnabled(practiceId, targetId, grant);
              }
              audit.record(
                  practiceId,
                  actorId,
                  targetId,
                  grant ? TelehealthAudit.Action.GRANT : TelehealthAudit.Action.REVOKE,
                  grant
                      ? (changed ? "granted" : "already held")
                      : (changed ? "revoked" : "not held"));
              return new RoleChange(practices.staff(practiceId, targetId).orElseThrow(), changed);
            }));
  }
}
