package org.sessionbridge.core.practice;

import static org.sessionbridge.core.store.SqlTime.instant;
import static org.sessionbridge.core.store.SqlTime.nullableInstant;
import static org.sessionbridge.core.store.SqlTime.utc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.error.ConflictException;
import org.sessionbridge.core.error.NotFoundException;
import org.sessionbridge.core.policy.ClientLabel;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Practices, their staff, clients, video services and compliance policy. Every read takes the
 * calling practice's id, so one practice can never load another's rows: a foreign id is simply not
 * found.
 */
public final class PracticeStore {

  private final JdbcClient jdbc;
  private final TransactionOperations tx;
  private final Clock clock;

  public PracticeStore(JdbcClient jdbc, TransactionOperations tx, Clock clock) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.clock = clock;
  }

  /** Creates a practice with the strict compliance policy and issues its first API key. */
  public IssuedApiKey createPractice(String name, ZoneId timeZone) {
    String key = ApiKeys.generate();
    Practice practice = new Practice(UUID.randomUUID(), name, timeZone, ApiKeys.hint(key), now());
    tx.executeWithoutResult(
        status -> {
          jdbc.sql(
                  "insert into practice (id, name, time_zone, api_key_hash, api_key_hint, created_at)"
                      + " values (:id, :name, :zone, :hash, :hint, :created)")
              .param("id", practice.id())
              .param("name", name)
              .param("zone", timeZone.getId())
              .param("hash", ApiKeys.hash(key))
              .param("hint", practice.apiKeyHint())
              .param("created", utc(practice.createdAt()))
              .update();
          CompliancePolicy p = CompliancePolicy.STRICT;
          jdbc.sql(
                  "insert into compliance_policy (practice_id, https_links_only, baa_platforms_only,"
                      + " waiting_room_required, refuse_apple_only, baa_covered_platforms,"
                      + " updated_at) values (:id, :https, :baa, :wr, :apple, :covered, :at)")
              .param("id", practice.id())
              .param("https", p.httpsLinksOnly())
              .param("baa", p.baaPlatformsOnly())
              .param("wr", p.waitingRoomRequired())
              .param("apple", p.refuseAppleOnly())
              .param("covered", p.coveredAsText())
              .param("at", utc(practice.createdAt()))
              .update();
        });
    return new IssuedApiKey(practice, key);
  }

  /** Replaces the practice's API key; the old one stops working at once. */
  public IssuedApiKey rotateApiKey(UUID practiceId) {
    String key = ApiKeys.generate();
    int rows =
        jdbc.sql("update practice set api_key_hash = :hash, api_key_hint = :hint where id = :id")
            .param("hash", ApiKeys.hash(key))
            .param("hint", ApiKeys.hint(key))
            .param("id", practiceId)
            .update();
    if (rows == 0) {
      throw new NotFoundException("practice");
    }
    return new IssuedApiKey(practice(practiceId).orElseThrow(), key);
  }

  public Optional<Practice> findByApiKey(String apiKey) {
    return jdbc.sql("select * from practice where api_key_hash = :hash")
        .param("hash", ApiKeys.hash(apiKey))
        .query(PracticeStore::practiceRow)
        .optional();
  }

  public Optional<Practice> practice(UUID id) {
    return jdbc.sql("select * from practice where id = :id")
        .param("id", id)
        .query(PracticeStore::practiceRow)
        .optional();
  }

  public List<Practice> practices() {
    return jdbc.sql("select * from practice order by created_at, id")
        .query(PracticeStore::practiceRow)
        .list();
  }

  public CompliancePolicy compliancePolicy(UUID practiceId) {
    return jdbc.sql("select * from compliance_policy where practice_id = :id")
        .param("id", practiceId)
        .query(
            (rs, n) ->
                new CompliancePolicy(
                    rs.getBoolean("https_links_only"),
                    rs.getBoolean("baa_platforms_only"),
                    rs.getBoolean("waiting_room_required"),
                    rs.getBoolean("refuse_apple_only"),
                    CompliancePolicy.coveredFromText(rs.getString("baa_covered_platforms"))))
        .optional()
        .orElse(CompliancePolicy.STRICT);
  }

  /** When the policy last changed and who changed it ({@code by} null: as the practice began). */
  public record PolicyChange(Instant at, @Nullable UUID by) {}

  public PolicyChange compliancePolicyChange(UUID practiceId) {
    return jdbc.sql("select updated_at, updated_by from compliance_policy where practice_id = :id")
        .param("id", practiceId)
        .query(
            (rs, n) ->
                new PolicyChange(instant(rs, "updated_at"), rs.getObject("updated_by", UUID.class)))
        .optional()
        .orElseThrow(() -> new NotFoundException("practice"));
  }

  /**
   * Replaces the practice's compliance policy; callers check and audit it (see {@link
   * CompliancePolicies}).
   */
  public void replaceCompliancePolicy(UUID practiceId, CompliancePolicy p, UUID actorId) {
    int rows =
        jdbc.sql(
                "update compliance_policy set https_links_only = :https, baa_platforms_only = :baa,"
                    + " waiting_room_required = :wr, refuse_apple_only = :apple,"
                    + " baa_covered_platforms = :covered, updated_at = :at, updated_by = :by"
                    + " where practice_id = :id")
            .param("https", p.httpsLinksOnly())
            .param("baa", p.baaPlatformsOnly())
            .param("wr", p.waitingRoomRequired())
            .param("apple", p.refuseAppleOnly())
            .param("covered", p.coveredAsText())
            .param("at", utc(now()))
            .param("by", actorId)
            .param("id", practiceId)
            .update();
    if (rows != 1) {
      throw new NotFoundException("practice");
    }
  }

  /**
   * Locks the practice's policy row until the transaction ends, so a policy change and the
   * configuration checks that read the policy take turns.
   */
  public CompliancePolicy lockCompliancePolicy(UUID practiceId) {
    jdbc.sql("select practice_id from compliance_policy where practice_id = :id for update")
        .param("id", practiceId)
        .query(Object.class)
        .optional();
    return compliancePolicy(practiceId);
  }

  public PracticeSettings settings(UUID practiceId) {
    return jdbc.sql(
            "select location, feed_client_label, settings_updated_at from practice where id = :id")
        .param("id", practiceId)
        .query(
            (rs, n) ->
                new PracticeSettings(
                    rs.getString("location"),
                    ClientLabel.valueOf(rs.getString("feed_client_label")),
                    nullableInstant(rs, "settings_updated_at")))
        .optional()
        .orElseThrow(() -> new NotFoundException("practice"));
  }

  /** Changes the given settings; {@code null} leaves one as it is. */
  public PracticeSettings updateSettings(
      UUID practiceId, @Nullable String location, @Nullable ClientLabel feedClientLabel) {
    PracticeSettings current = settings(practiceId);
    jdbc.sql(
            "update practice set location = :location, feed_client_label = :label,"
                + " settings_updated_at = :at where id = :id")
        .param("location", location != null ? location : current.location())
        .param(
            "label", (feedClientLabel != null ? feedClientLabel : current.feedClientLabel()).name())
        .param("at", utc(now()))
        .param("id", practiceId)
        .update();
    return settings(practiceId);
  }

  public Staff createStaff(
      UUID practiceId,
      String name,
      String email,
      ZoneId timeZone,
      StaffRole role,
      boolean telehealthEnabled) {
    Staff staff =
        new Staff(
            UUID.randomUUID(),
            practiceId,
            name,
            normalizeEmail(email),
            timeZone,
            role,
            telehealthEnabled,
            now());
    try {
      jdbc.sql(
              "insert into staff (id, practice_id, name, email, time_zone, role, telehealth_enabled,"
                  + " created_at) values (:id, :practice, :name, :email, :zone, :role, :th, :at)")
          .param("id", staff.id())
          .param("practice", practiceId)
          .param("name", staff.name())
          .param("email", staff.email())
          .param("zone", timeZone.getId())
          .param("role", role.name())
          .param("th", telehealthEnabled)
          .param("at", utc(staff.createdAt()))
          .update();
    } catch (DuplicateKeyException e) {
      throw new ConflictException(
          "email", "a staff member with this email already exists in your practice");
    }
    return staff;
  }

  public Optional<Staff> staff(UUID practiceId, UUID staffId) {
    return jdbc.sql("select * from staff where practice_id = :practice and id = :id")
        .param("practice", practiceId)
        .param("id", staffId)
        .query(PracticeStore::staffRow)
        .optional();
  }

  /**
   * The staff member, with their row locked until the transaction ends: changes to a provider's
   * video services and telehealth role, and checked bookings of them, take turns.
   */
  public Optional<Staff> lockStaff(UUID practiceId, UUID staffId) {
    return jdbc.sql("select * from staff where practice_id = :practice and id = :id for update")
        .param("practice", practiceId)
        .param("id", staffId)
        .query(PracticeStore::staffRow)
        .optional();
  }

  /** Sets the telehealth role; callers check who may and audit it (see {@link TelehealthRoles}). */
  public void setTelehealthEnabled(UUID practiceId, UUID staffId, boolean enabled) {
    jdbc.sql("update staff set telehealth_enabled = :th where practice_id = :practice and id = :id")
        .param("th", enabled)
        .param("practice", practiceId)
        .param("id", staffId)
        .update();
  }

  public List<Staff> staff(UUID practiceId) {
    return jdbc.sql("select * from staff where practice_id = :practice order by created_at, id")
        .param("practice", practiceId)
        .query(PracticeStore::staffRow)
        .list();
  }

  public Client createClient(UUID practiceId, String name, String email, @Nullable String phone) {
    Client client =
        new Client(UUID.randomUUID(), practiceId, name, normalizeEmail(email), phone, now());
    jdbc.sql(
            "insert into client (id, practice_id, name, email, phone, created_at)"
                + " values (:id, :practice, :name, :email, :phone, :at)")
        .param("id", client.id())
        .param("practice", practiceId)
        .param("name", name)
        .param("email", client.email())
        .param("phone", phone)
        .param("at", utc(client.createdAt()))
        .update();
    return client;
  }

  public Optional<Client> client(UUID practiceId, UUID clientId) {
    return jdbc.sql("select * from client where practice_id = :practice and id = :id")
        .param("practice", practiceId)
        .param("id", clientId)
        .query(PracticeStore::clientRow)
        .optional();
  }

  public List<Client> clients(UUID practiceId, int limit, int offset) {
    return jdbc.sql(
            "select * from client where practice_id = :practice order by created_at, id"
                + " limit :limit offset :offset")
        .param("practice", practiceId)
        .param("limit", limit)
        .param("offset", offset)
        .query(PracticeStore::clientRow)
        .list();
  }

  /**
   * Adds a video service to a provider. The first one becomes the default; a new default clears the
   * previous one in the same transaction. Checks nothing: the API goes through {@link
   * VideoServices}, which applies the contact and compliance rules first.
   */
  public VideoService addVideoService(
      UUID practiceId,
      UUID providerId,
      VideoPlatform platform,
      @Nullable String url,
      @Nullable String joinInstructions,
      boolean makeDefault) {
    return addVideoService(
        practiceId, providerId, platform, url, joinInstructions, makeDefault, null);
  }

  /**
   * Adds a video service; {@code hostAccount} names the provider's account on a hub-managed
   * platform when it is not their e-mail.
   */
  public VideoService addVideoService(
      UUID practiceId,
      UUID providerId,
      VideoPlatform platform,
      @Nullable String url,
      @Nullable String joinInstructions,
      boolean makeDefault,
      @Nullable String hostAccount) {
    return addVideoService(
        practiceId,
        providerId,
        new VideoServiceSpec(
            platform, url, null, null, joinInstructions, null, hostAccount, makeDefault));
  }

  /** Adds a video service as described; the first one, or one made default, is the default. */
  public VideoService addVideoService(UUID practiceId, UUID providerId, VideoServiceSpec spec) {
    return Objects.requireNonNull(
        tx.execute(
            status -> {
              boolean first = videoServices(practiceId, providerId).isEmpty();
              boolean isDefault = spec.makeDefault() || first;
              if (isDefault) {
                clearDefault(practiceId, providerId);
              }
              Instant now = now();
              VideoService service =
                  new VideoService(
                      UUID.randomUUID(),
                      providerId,
                      spec.platform(),
                      spec.url(),
                      spec.clientInstructions(),
                      isDefault,
                      now,
                      spec.hostAccount(),
                      spec.skypeId(),
                      spec.phone(),
                      spec.providerInstructions(),
                      now);
              jdbc.sql(
                      "insert into video_service (id, practice_id, provider_id, platform, url,"
                          + " join_instructions, is_default, created_at, host_account, skype_id,"
                          + " phone, provider_instructions, updated_at) values (:id, :practice,"
                          + " :provider, :platform, :url, :ji, :def, :at, :host, :skype, :phone,"
                          + " :pi, :updated)")
                  .param("id", service.id())
                  .param("practice", practiceId)
                  .param("provider", providerId)
                  .param("platform", spec.platform().name())
                  .param("url", service.url())
                  .param("ji", service.joinInstructions())
                  .param("def", isDefault)
                  .param("at", utc(now))
                  .param("host", service.hostAccount())
                  .param("skype", service.skypeId())
                  .param("phone", service.phone())
                  .param("pi", service.providerInstructions())
                  .param("updated", utc(now))
                  .update();
              return service;
            }));
  }

  /**
   * Stores a changed service (every field but its id, provider, platform and creation); making it
   * the default clears the provider's other default in the same transaction.
   */
  public VideoService updateVideoService(UUID practiceId, VideoService changed) {
    return Objects.requireNonNull(
        tx.execute(
            status -> {
              if (changed.isDefault()) {
                clearDefault(practiceId, changed.providerId());
              }
              Instant now = now();
              int rows =
                  jdbc.sql(
                          "update video_service set url = :url, join_instructions = :ji,"
                              + " is_default = :def, host_account = :host, skype_id = :skype,"
                              + " phone = :phone, provider_instructions = :pi, updated_at = :at"
                              + " where practice_id = :practice and id = :id")
                      .param("url", changed.url())
                      .param("ji", changed.joinInstructions())
                      .param("def", changed.isDefault())
                      .param("host", changed.hostAccount())
                      .param("skype", changed.skypeId())
                      .param("phone", changed.phone())
                      .param("pi", changed.providerInstructions())
                      .param("at", utc(now))
                      .param("practice", practiceId)
                      .param("id", changed.id())
                      .update();
              if (rows != 1) {
                throw new NotFoundException("video service");
              }
              return videoService(practiceId, changed.providerId(), changed.id()).orElseThrow();
            }));
  }

  /**
   * Removes a service; when it was the default, the provider's oldest remaining service becomes the
   * default in the same transaction.
   */
  public void deleteVideoService(UUID practiceId, UUID providerId, UUID serviceId) {
    tx.executeWithoutResult(
        status -> {
          int rows =
              jdbc.sql(
                      "delete from video_service where practice_id = :practice"
                          + " and provider_id = :provider and id = :id")
                  .param("practice", practiceId)
                  .param("provider", providerId)
                  .param("id", serviceId)
                  .update();
          if (rows != 1) {
            throw new NotFoundException("video service");
          }
          List<VideoService> left = videoServices(practiceId, providerId);
          if (!left.isEmpty() && left.stream().noneMatch(VideoService::isDefault)) {
            jdbc.sql("update video_service set is_default = true, updated_at = :at where id = :id")
                .param("at", utc(now()))
                .param("id", left.get(0).id())
                .update();
          }
        });
  }

  private void clearDefault(UUID practiceId, UUID providerId) {
    jdbc.sql(
            "update video_service set is_default = false where provider_id = :p"
                + " and practice_id = :practice and is_default = true")
        .param("p", providerId)
        .param("practice", practiceId)
        .update();
  }

  /**
   * Makes {@code hostAccount} the provider's account on {@code platform}: sets it on the provider's
   * first service of that platform (the one the meeting route reads), or adds that service (not as
   * the default, unless it is the provider's first) when the provider has none.
   */
  public VideoService useHostAccount(
      UUID practiceId, UUID providerId, VideoPlatform platform, String hostAccount) {
    return Objects.requireNonNull(
        tx.execute(
            status -> {
              Optional<VideoService> existing =
                  videoServices(practiceId, providerId).stream()
                      .filter(s -> s.platform() == platform)
                      .findFirst();
              if (existing.isEmpty()) {
                return addVideoService(
                    practiceId, providerId, platform, null, null, false, hostAccount);
              }
              VideoService s = existing.get();
              return updateVideoService(
                  practiceId,
                  new VideoService(
                      s.id(),
                      s.providerId(),
                      s.platform(),
                      s.url(),
                      s.joinInstructions(),
                      s.isDefault(),
                      s.createdAt(),
                      hostAccount,
                      s.skypeId(),
                      s.phone(),
                      s.providerInstructions(),
                      s.updatedAt()));
            }));
  }

  public List<VideoService> videoServices(UUID practiceId, UUID providerId) {
    return jdbc.sql(
            "select * from video_service where practice_id = :practice and provider_id = :provider"
                + " order by created_at, id")
        .param("practice", practiceId)
        .param("provider", providerId)
        .query(PracticeStore::videoServiceRow)
        .list();
  }

  public Optional<VideoService> videoService(UUID practiceId, UUID providerId, UUID serviceId) {
    return jdbc.sql(
            "select * from video_service where practice_id = :practice and provider_id = :provider"
                + " and id = :id")
        .param("practice", practiceId)
        .param("provider", providerId)
        .param("id", serviceId)
        .query(PracticeStore::videoServiceRow)
        .optional();
  }

  /** Every video service of the practice, by provider then age: for the policy's violations. */
  public List<VideoService> videoServices(UUID practiceId) {
    return jdbc.sql(
            "select * from video_service where practice_id = :practice"
                + " order by provider_id, created_at, id")
        .param("practice", practiceId)
        .query(PracticeStore::videoServiceRow)
        .list();
  }

  private static VideoService videoServiceRow(ResultSet rs, int n) throws SQLException {
    return new VideoService(
        rs.getObject("id", UUID.class),
        rs.getObject("provider_id", UUID.class),
        VideoPlatform.valueOf(rs.getString("platform")),
        rs.getString("url"),
        rs.getString("join_instructions"),
        rs.getBoolean("is_default"),
        instant(rs, "created_at"),
        rs.getString("host_account"),
        rs.getString("skype_id"),
        rs.getString("phone"),
        rs.getString("provider_instructions"),
        instant(rs, "updated_at"));
  }

  private Instant now() {
    return clock.instant();
  }

  static String normalizeEmail(String email) {
    return email.trim().toLowerCase(Locale.ROOT);
  }

  private static Practice practiceRow(ResultSet rs, int n) throws SQLException {
    return new Practice(
        rs.getObject("id", UUID.class),
        rs.getString("name"),
        ZoneId.of(rs.getString("time_zone")),
        rs.getString("api_key_hint"),
        instant(rs, "created_at"));
  }

  private static Staff staffRow(ResultSet rs, int n) throws SQLException {
    return new Staff(
        rs.getObject("id", UUID.class),
        rs.getObject("practice_id", UUID.class),
        rs.getString("name"),
        rs.getString("email"),
        ZoneId.of(rs.getString("time_zone")),
        StaffRole.valueOf(rs.getString("role")),
        rs.getBoolean("telehealth_enabled"),
        instant(rs, "created_at"));
  }

  private static Client clientRow(ResultSet rs, int n) throws SQLException {
    return new Client(
        rs.getObject("id", UUID.class),
        rs.getObject("practice_id", UUID.class),
        rs.getString("name"),
        rs.getString("email"),
        rs.getString("phone"),
        instant(rs, "created_at"));
  }
}
