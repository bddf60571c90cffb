package org.sessionbridge.config.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/** The demo profile starts with no configuration, seeds a week of sessions and says what to try. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "spring.datasource.url=jdbc:h2:mem:demo-test;DB_CLOSE_DELAY=-1")
@ActiveProfiles("demo")
@ExtendWith(OutputCaptureExtension.class)
class DemoSandboxTest {

  @Autowired JdbcClient db;

  @Test
  void seedsAPracticeAndPrintsTheNextCommands(CapturedOutput output) {
    assertThat(count("practice")).isEqualTo(1);
    assertThat(count("staff")).isEqualTo(2);
    assertThat(count("client")).isEqualTo(3);
    assertThat(count("appointment")).isGreaterThanOrEqualTo(15);
    assertThat(
            db.sql(
                    "select count(*) from appointment_client group by appointment_id order by 1 desc limit 1")
                .query(Long.class)
                .single())
        .as("a group session")
        .isEqualTo(3);
    assertThat(output.getOut())
        .contains("export KEY=sbk_")
        .contains("curl -s -X POST")
        .contains("/api/v1/appointments")
        .contains("Calendar feeds")
        .contains("/feeds/");
  }

  private long count(String table) {
    return db.sql("select count(*) from " + table).query(Long.class).single();
  }
}
