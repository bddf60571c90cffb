package org.sessionbridge.core.availability;

import static org.sessionbridge.core.store.SqlTime.utc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.sessionbridge.core.practice.VideoPlatform;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Providers' weekly working sections. Every call takes the calling practice's id, so one practice
 * never reads or replaces another's. Sections are checked by {@link Availability} before they get
 * here.
 */
public final class WorkingHoursStore {

  private final JdbcClient jdbc;
  private final TransactionOperations tx;
  private final Clock clock;

  public WorkingHoursStore(JdbcClient jdbc, TransactionOperations tx, Clock clock) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.clock = clock;
  }

  /** The provider's sections, Monday first, by start. */
  public List<WorkingSection> sections(UUID practiceId, UUID providerId) {
    return jdbc.sql(
            "select day_of_week, start_time, end_time, modality, platforms from working_section"
                + " where practice_id = :p and provider_id = :provider"
                + " order by day_of_week, start_time")
        .param("p", practiceId)
        .param("provider", providerId)
        .query(WorkingHoursStore::row)
        .list();
  }

  /** Whether the provider has any section, i.e. whether their bookings are checked. */
  public boolean hasSections(UUID practiceId, UUID providerId) {
    return jdbc.sql(
                "select count(*) from working_section where practice_id = :p and provider_id = :provider")
            .param("p", practiceId)
            .param("provider", providerId)
            .query(Long.class)
            .single()
        > 0;
  }

  /** Replaces all the provider's sections in one transaction; an empty list removes them. */
  public void replace(UUID practiceId, UUID providerId, List<WorkingSection> sections) {
    tx.executeWithoutResult(
        status -> {
          jdbc.sql("delete from working_section where practice_id = :p and provider_id = :provider")
              .param("p", practiceId)
              .param("provider", providerId)
              .update();
          for (WorkingSection s : sections) {
            jdbc.sql(
                    "insert into working_section (id, practice_id, provider_id, day_of_week,"
                        + " start_time, end_time, modality, platforms, created_at) values (:id,"
                        + " :p, :provider, :day, :start, :end, :modality, :platforms, :at)")
                .param("id", UUID.randomUUID())
                .param("p", practiceId)
                .param("provider", providerId)
                .param("day", s.day().getValue())
                .param("start", s.start())
                .param("end", s.end())
                .param("modality", s.modality().name())
                .param(
                    "platforms",
                    s.platforms() == null
                        ? null
                        : s.platforms().stream().map(Enum::name).collect(Collectors.joining(",")))
                .param("at", utc(clock.instant()))
                .update();
          }
        });
  }

  private static WorkingSection row(ResultSet rs, int n) throws SQLException {
    String platforms = rs.getString("platforms");
    Set<VideoPlatform> offered = null;
    if (platforms != null) {
      offered = EnumSet.noneOf(VideoPlatform.class);
      Arrays.stream(platforms.split(","))
          .filter(p -> !p.isBlank())
          .map(VideoPlatform::valueOf)
          .forEach(offered::add);
    }
    return new WorkingSection(
        DayOfWeek.of(rs.getInt("day_of_week")),
        rs.getObject("start_time", LocalTime.class),
        rs.getObject("end_time", LocalTime.class),
        SectionModality.valueOf(rs.getString("modality")),
        offered);
  }
}
