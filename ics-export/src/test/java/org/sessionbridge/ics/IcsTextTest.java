package org.sessionbridge.ics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IcsTextTest {

  @Test
  void turnsEveryKindOfLineBreakIntoOneLfAndDropsOtherControls() {
    assertThat(IcsText.text(Sessions.HOSTILE)).isEqualTo(Sessions.HOSTILE_AS_TEXT);
    assertThat(IcsText.text("a\r\n\r\nb")).isEqualTo("a\n\nb");
    assertThat(IcsText.text("nul\u0000 del\u007F c1\u0090")).isEqualTo("nul del c1");
  }

  @Test
  void returnsCleanTextUntouchedWithoutCopying() {
    String clean = "Séance – Zoë 日本語 😀; a, b \\ c \"q\"\ttab\nline";

    assertThat(IcsText.text(clean)).isSameAs(clean);
  }

  @Test
  void replacesUnpairedSurrogatesWhichHaveNoUtf8Form() {
    assertThat(IcsText.text("a\uD83Db\uDE00c")).isEqualTo("a\uFFFDb\uFFFDc");
  }

  @Test
  void makesParameterValuesOneLineWithoutQuotes() {
    assertThat(IcsText.param("Dr. \"Ana\"\r\nO'Brien")).isEqualTo("Dr. 'Ana' O'Brien");
    assertThat(IcsText.param("A\\B; C, D: E")).isEqualTo("A/B; C, D: E");
  }

  @Test
  void acceptsHttpsLinksAndMailboxes() {
    assertThat(IcsText.link(Sessions.TEAMS_LINK, "u").toString()).isEqualTo(Sessions.TEAMS_LINK);
    assertThat(IcsText.mailto("jd+x@example.com", "u").toString())
        .isEqualTo("mailto:jd+x@example.com");
  }

  @Test
  void rejectsLinksWithoutAHost() {
    assertThatThrownBy(() -> IcsText.link("https:opaque", "uid-3"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("uid-3");
  }

  @Test
  void plainHttpOnlyForALoopbackHostSuchAsTheDemosZoomFake() {
    assertThat(IcsText.link("http://127.0.0.1:41234/j/123?pwd=x", "u").getHost())
        .isEqualTo("127.0.0.1");
    assertThatThrownBy(() -> IcsText.link("http://zoom.example/j/123", "uid-4"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("https");
    assertThatThrownBy(() -> IcsText.link("ftp://127.0.0.1/j/123", "uid-5"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
