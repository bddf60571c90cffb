package org.sessionbridge.core.practice;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.sessionbridge.core.error.FieldProblem;
import org.sessionbridge.core.error.InvalidInputException;
import org.sessionbridge.core.policy.TelehealthCompliance;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Changing a practice's compliance policy: only an OWNER or MANAGER may, the change is audited in
 * its own transaction, and a stricter policy is accepted even when configured services break it.
 * Those services are answered as violations (and shown on the services), and bookings on them are
 * refused until the practice fixes or removes them.
 */
public final class CompliancePolicies {

  private final TransactionOperations tx;
  private final PracticeStore practices;
  private final TelehealthRoles roles;
  private final TelehealthAudit audit;

  public CompliancePolicies(
      TransactionOperations tx,
      PracticeStore practices,
      TelehealthRoles roles,
      TelehealthAudit audit) {
    this.tx = tx;
    this.practices = practices;
    this.roles = roles;
    this.audit = audit;
  }

  /** The policy as set, and the configured services it does not allow. */
  public record Outcome(CompliancePolicy policy, List<TelehealthCompliance.Violation> violations) {}

  public Outcome current(UUID practiceId) {
    CompliancePolicy policy = practices.compliancePolicy(practiceId);
    return new Outcome(policy, violations(practiceId, policy));
  }

  /**
   * Replaces the policy.
   *
   * @throws org.sessionbridge.core.error.ForbiddenException when the actor is not OWNER or MANAGER
   * @throws InvalidInputException when the actor is unknown or the policy cannot be set as asked
   */
  public Outcome change(UUID practiceId, UUID actorId, CompliancePolicy policy) {
    return Objects.requireNonNull(
        tx.execute(
            status -> {
              roles.requireGovernor(practiceId, actorId, "change the compliance policy");
              List<FieldProblem> problems = TelehealthCompliance.policyProblems(policy);
              if (!problems.isEmpty()) {
                throw new InvalidInputException(InvalidInputException.Kind.RULE, problems);
              }
              practices.lockCompliancePolicy(practiceId);
              practices.replaceCompliancePolicy(practiceId, policy, actorId);
              audit.record(
                  practiceId,
                  actorId,
                  null,
                  TelehealthAudit.Action.POLICY_CHANGE,
                  policy.summary());
              return new Outcome(policy, violations(practiceId, policy));
            }));
  }

  private List<TelehealthCompliance.Violation> violations(
      UUID practiceId, CompliancePolicy policy) {
    List<TelehealthCompliance.Violation> found = new ArrayList<>();
    List<VideoService> all = practices.videoServices(practiceId);
    int from = 0;
    for (int i = 1; i <= all.size(); i++) {
      if (i == all.size() || !all.get(i).providerId().equals(all.get(from).providerId())) {
        found.addAll(TelehealthCompliance.violations(policy, all.subList(from, i)));
        from = i;
      }
    }
    return found;
  }
}
