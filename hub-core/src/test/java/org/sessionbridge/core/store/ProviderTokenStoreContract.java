package org.sessionbridge.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sessionbridge.core.credential.Connection;
import org.sessionbridge.core.credential.ProviderToken;
import org.sessionbridge.core.credential.ProviderTokenStore;
import org.sessionbridge.core.credential.ProviderTokenStore.Pending;
import org.sessionbridge.core.credential.ProviderTokenStore.RefreshRefused;
import org.sessionbridge.core.credential.ProviderTokenStore.Start;
import org.sessionbridge.core.credential.ProviderTokenStore.Tokens;
import org.sessionbridge.core.credential.SecretBox;
import org.sessionbridge.core.error.InvalidInputException;
import org.sessionbridge.core.practice.Practice;
import org.sessionbridge.core.practice.PracticeStore;
import org.sessionbridge.core.practice.Staff;
import org.sessionbridge.core.practice.StaffRole;
import org.sessionbridge.core.practice.VideoPlatform;
import org.sessionbridge.core.practice.VideoService;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the provider token store promises, whatever the database: single-use, expiring states that
 * carry a sealed PKCE verifier; tokens sealed to their provider; a cached access token until it
 * nearly expires; one refresh at a time under the row lock, with the rotated refresh token stored
 * in the same transaction; a refused refresh parks the authorisation.
 */
abstract class ProviderTokenStoreContract {

  static final Instant T0 = Instant.parse("2030-03-04T08:00:00Z");
  static final Connection.Kind ZOOM = Connection.Kind.ZOOM;

  final MutableClock clock = new MutableClock(T0);
  DataSource dataSource;
  JdbcClient jdbc;
  PracticeStore practices;
  ProviderTokenStore tokens;
  Practice practice;
  Staff provider;

  protected abstract DataSource newDatabase();

  @BeforeEach
  void migrate() {
    dataSource = newDatabase();
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    jdbc = JdbcClient.create(dataSource);
    TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    practices = new PracticeStore(jdbc, tx, clock);
    byte[] key = new byte[32];
    key[0] = 7;
    tokens = new ProviderTokenStore(jdbc, tx, new SecretBox(Map.of("k1", key), "k1"), clock);
    practice = practices.createPractice("Harbor", ZoneId.of("UTC")).practice();
    provider =
        practices.createStaff(
            practice.id(),
            "Dr Chen",
            "chen@harbor.example",
            ZoneId.of("UTC"),
            StaffRole.PROVIDER,
            true);
  }

  // --- states ---------------------------------------------------------------------------------

  @Test
  void aStateIsSpentOnceAndCarriesTheVerifierOfItsChallenge() {
    Start start = tokens.begin(practice.id(), provider.id(), ZOOM);

    assertThat(start.codeVerifier()).hasSizeBetween(43, 128).matches("[A-Za-z0-9_-]+");
    assertThat(start.codeChallenge()).isEqualTo(ProviderTokenStore.challenge(start.codeVerifier()));
    assertThat(start.toString()).doesNotContain(start.state()).doesNotContain(start.codeVerifier());
    String stored =
        jdbc.sql("select state_hash || verifier_sealed from oauth_state")
            .query(String.class)
            .single();
    assertThat(stored).doesNotContain(start.state()).doesNotContain(start.codeVerifier());

    Pending pending = tokens.consume(start.state());
    assertThat(pending.practiceId()).isEqualTo(practice.id());
    assertThat(pending.providerId()).isEqualTo(provider.id());
    assertThat(pending.codeVerifier()).isEqualTo(start.codeVerifier());

    assertThatThrownBy(() -> tokens.consume(start.state()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("state")
        .hasMessageContaining("used already");
  }

  @Test
  void anExpiredOrUnknownStateIsRefusedNamingWhy() {
    Start start = tokens.begin(practice.id(), provider.id(), ZOOM);
    clock.advance(ProviderTokenStore.STATE_TTL);

    assertThatThrownBy(() -> tokens.consume(start.state()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("state: this authorization expired");
    assertThatThrownBy(() -> tokens.consume("not-a-state-we-issued"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("state: unknown authorization state");
    clock.advance(Duration.ofDays(2));
    assertThat(tokens.purgeStates()).isEqualTo(1);
  }

  // --- tokens ---------------------------------------------------------------------------------

  @Test
  void tokensAreSealedToTheirProviderAndTheCachedAccessTokenIsUsedUntilItNearlyExpires() {
    tokens.save(practice.id(), provider.id(), ZOOM, "zoom-user-1", grant(1));

    String row =
        jdbc.sql("select access_sealed || refresh_sealed from provider_token")
            .query(String.class)
            .single();
    assertThat(row).startsWith("v1:k1:").doesNotContain("access-1").doesNotContain("refresh-1");
    AtomicInteger refreshes = new AtomicInteger();
    assertThat(
            tokens.accessToken(
                practice.id(), provider.id(), ZOOM, r -> grant(refreshes.incrementAndGet() + 1)))
        .contains("access-1");
    clock.advance(Duration.ofSeconds(3599).minus(ProviderTokenStore.EXPIRY_MARGIN).minusSeconds(1));
    assertThat(
            tokens.accessToken(
                practice.id(), provider.id(), ZOOM, r -> grant(refreshes.incrementAndGet() + 1)))
        .contains("access-1");
    assertThat(refreshes).hasValue(0);

    // A row copied to another provider does not open there.
    Staff other =
        practices.createStaff(
            practice.id(),
            "Dr Sam",
            "sam@harbor.example",
            ZoneId.of("UTC"),
            StaffRole.PROVIDER,
            true);
    jdbc.sql(
            "insert into provider_token select practice_id, :other, kind, account_ref,"
                + " refresh_sealed, access_sealed, access_expires_at, status, status_reason,"
                + " authorized_at, refreshed_at, updated_at from provider_token")
        .param("other", other.id())
        .update();
    assertThatThrownBy(() -> tokens.accessToken(practice.id(), other.id(), ZOOM, r -> grant(9)))
        .isInstanceOf(SecretBox.SealedValueException.class);
  }

  @Test
  void anExpiredAccessTokenIsRefreshedOnceAndTheRotatedRefreshTokenStored() {
    tokens.save(practice.id(), provider.id(), ZOOM, "zoom-user-1", grant(1));
    clock.advance(Duration.ofHours(1));
    List<String> spent = new ArrayList<>();

    Optional<String> token =
        tokens.accessToken(
            practice.id(),
            provider.id(),
            ZOOM,
            refresh -> {
              spent.add(refresh);
              return grant(2);
            });

    assertThat(token).contains("access-2");
    assertThat(spent).containsExactly("refresh-1");
    ProviderToken row = tokens.find(practice.id(), provider.id(), ZOOM).orElseThrow();
    assertThat(row.refreshedAt()).isEqualTo(clock.instant());
    assertThat(row.accessExpiresAt()).isEqualTo(clock.instant().plusSeconds(3599));
    // The next refresh spends the rotated token, not the first one.
    clock.advance(Duration.ofHours(1));
    tokens.accessToken(
        practice.id(),
        provider.id(),
        ZOOM,
        refresh -> {
          spent.add(refresh);
          return grant(3);
        });
    assertThat(spent).containsExactly("refresh-1", "refresh-2");
  }

  @Test
  void manyThreadsNeedingATokenAtOnceSpendTheRefreshTokenExactlyOnce() throws Exception {
    tokens.save(practice.id(), provider.id(), ZOOM, "zoom-user-1", grant(1));
    clock.advance(Duration.ofHours(1));
    AtomicInteger refreshes = new AtomicInteger();
    Set<String> spent = ConcurrentHashMap.newKeySet();
    int threads = 8;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Optional<String>>> answers = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        answers.add(
            pool.submit(
                () -> {
                  go.await();
                  return tokens.accessToken(
                      practice.id(),
                      provider.id(),
                      ZOOM,
                      refresh -> {
                        if (!spent.add(refresh)) {
                          throw new RefreshRefused("refresh token spent twice");
                        }
                        sleep(150); // a slow token endpoint: the others pile up on the lock
                        return grant(refreshes.incrementAndGet() + 1);
                      });
                }));
      }
      go.countDown();
      for (Future<Optional<String>> answer : answers) {
        assertThat(answer.get(30, TimeUnit.SECONDS)).contains("access-2");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(refreshes).hasValue(1);
    assertThat(spent).containsExactly("refresh-1");
    assertThat(tokens.find(practice.id(), provider.id(), ZOOM).orElseThrow().connected()).isTrue();
  }

  @Test
  void aRefusedRefreshMarksTheAuthorisationAndStopsAskingUntilTheProviderAuthorisesAgain() {
    tokens.save(practice.id(), provider.id(), ZOOM, "zoom-user-1", grant(1));
    clock.advance(Duration.ofHours(1));
    AtomicInteger asked = new AtomicInteger();
    ProviderTokenStore.Refresher refusing =
        r -> {
          asked.incrementAndGet();
          throw new RefreshRefused("Zoom code 4741: token revoked");
        };

    assertThat(tokens.accessToken(practice.id(), provider.id(), ZOOM, refusing)).isEmpty();
    assertThat(tokens.accessToken(practice.id(), provider.id(), ZOOM, refusing)).isEmpty();

    assertThat(asked).hasValue(1);
    ProviderToken row = tokens.find(practice.id(), provider.id(), ZOOM).orElseThrow();
    assertThat(row.status()).isEqualTo(Connection.NEEDS_REAUTHORIZATION);
    assertThat(row.statusReason()).contains("4741");
    tokens.save(practice.id(), provider.id(), ZOOM, "zoom-user-1", grant(5));
    assertThat(tokens.accessToken(practice.id(), provider.id(), ZOOM, refusing))
        .contains("access-5");
  }

  @Test
  void aFailedRefreshChangesNothingAndAnInvalidatedTokenIsRefreshed() {
    tokens.save(practice.id(), provider.id(), ZOOM, "zoom-user-1", grant(1));
    tokens.invalidate(practice.id(), provider.id(), ZOOM, "some-other-token");
    assertThat(tokens.accessToken(practice.id(), provider.id(), ZOOM, r -> grant(2)))
        .contains("access-1");

    tokens.invalidate(practice.id(), provider.id(), ZOOM, "access-1");
    assertThatThrownBy(
            () ->
                tokens.accessToken(
                    practice.id(),
                    provider.id(),
                    ZOOM,
                    r -> {
                      throw new IllegalStateException("token endpoint unreachable");
                    }))
        .isInstanceOf(IllegalStateException.class);
    List<String> spent = new ArrayList<>();
    assertThat(
            tokens.accessToken(
                practice.id(),
                provider.id(),
                ZOOM,
                r -> {
                  spent.add(r);
                  return grant(2);
                }))
        .contains("access-2");
    assertThat(spent).containsExactly("refresh-1");
  }

  @Test
  void noAuthorisationMeansNoToken() {
    assertThat(tokens.accessToken(practice.id(), provider.id(), ZOOM, r -> grant(1))).isEmpty();
    assertThat(tokens.find(practice.id(), provider.id(), ZOOM)).isEmpty();
    assertThat(tokens.markRefused(practice.id(), provider.id(), ZOOM, "x")).isFalse();
  }

  // --- host account ---------------------------------------------------------------------------

  @Test
  void thePersonalHostAccountIsSetOnTheProvidersZoomServiceOrAddsOne() {
    VideoService added =
        practices.useHostAccount(
            practice.id(), provider.id(), VideoPlatform.ZOOM, "personal:" + provider.id());
    assertThat(added.hostAccount()).isEqualTo("personal:" + provider.id());
    assertThat(practices.videoServices(practice.id(), provider.id()))
        .extracting(VideoService::platform, VideoService::hostAccount)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(VideoPlatform.ZOOM, "personal:" + provider.id()));

    practices.useHostAccount(practice.id(), provider.id(), VideoPlatform.ZOOM, "other");
    assertThat(practices.videoServices(practice.id(), provider.id()))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.id()).isEqualTo(added.id());
              assertThat(s.hostAccount()).isEqualTo("other");
            });
  }

  static Tokens grant(int n) {
    return new Tokens("access-" + n, "refresh-" + n, Duration.ofSeconds(3599));
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
