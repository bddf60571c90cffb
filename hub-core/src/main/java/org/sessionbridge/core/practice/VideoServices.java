package org.sessionbridge.core.practice;

import static org.sessionbridge.core.store.SqlTime.utc;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.sessionbridge.core.error.ConflictException;
import org.sessionbridge.core.error.FieldProblem;
import org.sessionbridge.core.error.InvalidInputException;
import org.sessionbridge.core.error.NotFoundException;
import org.sessionbridge.core.policy.TelehealthCompliance;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionOperations;

/**
 * A provider's video services as the practice configures them: one service per platform, each with
 * the contact its platform needs, checked against the practice's compliance policy, exactly one of
 * them the default. Every change locks the provider's row first, so concurrent changes (two
 * requests each making a different service the default) take turns and leave one default.
 *
 * <p>Rules: the first service is the default; making another the default clears the old one in the
 * same transaction; the default cannot be unset (make another the default instead); deleting the
 * default makes the oldest remaining service the default; the last service can be deleted (the
 * provider then offers none). A service that upcoming sessions or the provider's working hours use
 * cannot be deleted (409) until they no longer do.
 */
public final class VideoServices {

  private final JdbcClient jdbc;
  private final TransactionOperations tx;
  private final PracticeStore practices;
  private final Clock clock;

  public VideoServices(
      JdbcClient jdbc, TransactionOperations tx, PracticeStore practices, Clock clock) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.practices = practices;
    this.clock = clock;
  }

  /** A service with the rules of the current policy it breaks (none: it can be booked). */
  public record Checked(VideoService service, List<TelehealthCompliance.Violation> violations) {}

  public List<Checked> list(UUID practiceId, UUID providerId) {
    CompliancePolicy policy = practices.compliancePolicy(practiceId);
    List<VideoService> services = practices.videoServices(practiceId, providerId);
    List<TelehealthCompliance.Violation> violations =
        TelehealthCompliance.violations(policy, services);
    return services.stream()
        .map(
            s ->
                new Checked(
                    s, violations.stream().filter(v -> v.serviceId().equals(s.id())).toList()))
        .toList();
  }

  public Checked get(UUID practiceId, UUID providerId, UUID serviceId) {
    return list(practiceId, providerId).stream()
        .filter(c -> c.service().id().equals(serviceId))
        .findFirst()
        .orElseThrow(() -> new NotFoundException("video service"));
  }

  /**
   * Adds a service after checking its shape (400), that the provider does not offer the platform
   * yet (409), and the compliance policy (422).
   */
  public VideoService add(UUID practiceId, UUID providerId, VideoServiceSpec spec) {
    return Objects.requireNonNull(
        tx.execute(
            status -> {
              practices
                  .lockStaff(practiceId, providerId)
                  .orElseThrow(() -> new NotFoundException("provider"));
              malformed(
                  VideoServiceRules.contactProblems(
                      spec.platform(),
                      spec.url(),
                      spec.skypeId(),
                      spec.phone(),
                      spec.hostAccount()));
              List<VideoService> existing = practices.videoServices(practiceId, providerId);
              if (existing.stream().anyMatch(s -> s.platform() == spec.platform())) {
                throw new ConflictException(
                    "platform",
                    "the provider already offers "
                        + spec.platform().name()
                        + "; change that service with PATCH"
                        + " /api/v1/providers/{id}/video-services/{serviceId}");
              }
              CompliancePolicy policy = practices.lockCompliancePolicy(practiceId);
              List<FieldProblem> problems =
                  new ArrayList<>(
                      TelehealthCompliance.serviceProblems(policy, spec.platform(), spec.url()));
              List<VideoPlatform> offering = new ArrayList<>();
              existing.forEach(s -> offering.add(s.platform()));
              offering.add(spec.platform());
              TelehealthCompliance.appleOnly(policy, offering)
                  .ifPresent(reason -> problems.add(new FieldProblem("platform", reason)));
              rule(problems);
              return practices.addVideoService(practiceId, providerId, spec);
            }));
  }

  /**
   * Changes a service: {@code change} gets the service as stored (under the provider's lock) and
   * answers it as it should be; its platform, id and provider cannot change. The result is checked
   * like a new service.
   */
  public VideoService update(
      UUID practiceId, UUID providerId, UUID serviceId, UnaryOperator<VideoService> change) {
    return Objects.requireNonNull(
        tx.execute(
            status -> {
              practices
                  .lockStaff(practiceId, providerId)
                  .orElseThrow(() -> new NotFoundException("provider"));
              VideoService before =
                  practices
                      .videoService(practiceId, providerId, serviceId)
                      .orElseThrow(() -> new NotFoundException("video service"));
              VideoService after = change.apply(before);
              if (after.platform() != before.platform()
                  || !after.id().equals(before.id())
                  || !after.providerId().equals(before.providerId())) {
                throw InvalidInputException.malformed(
                    "platform",
                    "cannot change; add a service of the new platform and delete this one");
              }
              malformed(
                  VideoServiceRules.contactProblems(
                      after.platform(),
                      after.url(),
                      after.skypeId(),
                      after.phone(),
                      after.hostAccount()));
              if (before.isDefault() && !after.isDefault()) {
                throw InvalidInputException.rule(
                    "isDefault",
                    "a provider's default video service cannot be unset; make another service the"
                        + " default (isDefault: true on it)");
              }
              CompliancePolicy policy = practices.lockCompliancePolicy(practiceId);
              rule(TelehealthCompliance.serviceProblems(policy, after.platform(), after.url()));
              return practices.updateVideoService(practiceId, after);
            }));
  }

  /**
   * Deletes a service. Refused when the provider would be left offering only Apple-only services
   * (422), or when upcoming sessions or the provider's working hours use its platform (409).
   */
  public void delete(UUID practiceId, UUID providerId, UUID serviceId) {
    tx.executeWithoutResult(
        status -> {
          practices
              .lockStaff(practiceId, providerId)
              .orElseThrow(() -> new NotFoundException("provider"));
          VideoService service =
              practices
                  .videoService(practiceId, providerId, serviceId)
                  .orElseThrow(() -> new NotFoundException("video service"));
          CompliancePolicy policy = practices.lockCompliancePolicy(practiceId);
          List<VideoPlatform> left =
              practices.videoServices(practiceId, providerId).stream()
                  .filter(s -> !s.id().equals(serviceId))
                  .map(VideoService::platform)
                  .toList();
          TelehealthCompliance.appleOnly(policy, left)
              .ifPresent(
                  reason -> {
                    throw InvalidInputException.rule("id", reason);
                  });
          long upcoming =
              jdbc.sql(
                      "select count(*) from appointment where practice_id = :p and provider_id ="
                          + " :provider and status = 'BOOKED' and modality = 'TELEHEALTH' and"
                          + " video_platform = :platform and end_at > :now")
                  .param("p", practiceId)
                  .param("provider", providerId)
                  .param("platform", service.platform().name())
                  .param("now", utc(clock.instant()))
                  .query(Long.class)
                  .single();
          if (upcoming > 0) {
            throw new ConflictException(
                "id",
                upcoming
                    + " upcoming session(s) use "
                    + service.platform().name()
                    + "; move them to another video service or cancel them first");
          }
          List<String> sections =
              jdbc.sql(
                      "select platforms from working_section where practice_id = :p and"
                          + " provider_id = :provider and platforms is not null")
                  .param("p", practiceId)
                  .param("provider", providerId)
                  .query(String.class)
                  .list();
          boolean named =
              sections.stream()
                  .anyMatch(
                      list ->
                          List.of(list.split(",")).stream()
                              .anyMatch(n -> n.strip().equals(service.platform().name())));
          if (named) {
            throw new ConflictException(
                "id",
                "the provider's working hours name "
                    + service.platform().name()
                    + "; take it out of them (PUT /api/v1/providers/{id}/working-hours) first");
          }
          practices.deleteVideoService(practiceId, providerId, serviceId);
        });
  }

  private static void malformed(List<FieldProblem> problems) {
    if (!problems.isEmpty()) {
      throw new InvalidInputException(InvalidInputException.Kind.MALFORMED, problems);
    }
  }

  private static void rule(List<FieldProblem> problems) {
    if (!problems.isEmpty()) {
      throw new InvalidInputException(InvalidInputException.Kind.RULE, problems);
    }
  }
}
