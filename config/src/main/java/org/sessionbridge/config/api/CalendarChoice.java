package org.sessionbridge.config.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.config.wiring.KindRoutedCalendarProvider;
import org.sessionbridge.core.calendar.CalendarAccount;
import org.sessionbridge.core.calendar.CalendarChoices;
import org.sessionbridge.core.calendar.CalendarInfo;
import org.sessionbridge.core.calendar.CalendarLink;
import org.sessionbridge.core.calendar.Removal;
import org.sessionbridge.core.error.ConflictException;
import org.sessionbridge.core.error.InvalidInputException;
import org.sessionbridge.core.port.CalendarProviderException;
import org.sessionbridge.routes.calendar.CalendarAccounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * The page a provider sees after consenting on Google's or Microsoft's screen: their calendars, to
 * pick the one that receives their sessions and those whose events count as busy time (primary
 * preselected for both). The form carries a single-use token ({@link CalendarChoices}, thirty
 * minutes) naming the provider; the submitted ids are checked against the provider's calendars as
 * Google lists them again, so a tampered form links nothing foreign. Calendar names are shown to
 * the provider only and never stored or logged.
 */
@RestController
@Tag(name = "Providers")
final class CalendarChoice {

  private static final Logger log = LoggerFactory.getLogger(CalendarChoice.class);

  /** What the page posts; the primary calendar is stored as {@code primary}, like the API's. */
  static final String PRIMARY = "primary";

  private final CalendarChoices choices;
  private final KindRoutedCalendarProvider vendors;
  private final CalendarAccounts accounts;
  private final CalendarLinks links;

  CalendarChoice(
      CalendarChoices choices,
      KindRoutedCalendarProvider vendors,
      CalendarAccounts accounts,
      CalendarLinks links) {
    this.choices = choices;
    this.vendors = vendors;
    this.accounts = accounts;
    this.links = links;
  }

  /**
   * The choice page for a provider who just consented and has no Google link yet. When Google
   * cannot list their calendars now, the primary calendar is linked (sessions and busy time) and
   * the page says so: the provider is not sent through consent again for a listing hiccup.
   */
  ResponseEntity<String> offer(UUID practiceId, UUID providerId, String accessToken) {
    return offer(practiceId, providerId, CalendarLink.Kind.GOOGLE, accessToken);
  }

  ResponseEntity<String> offer(
      UUID practiceId, UUID providerId, CalendarLink.Kind kind, String accessToken) {
    List<CalendarInfo> calendars;
    try {
      calendars = vendors.calendars(new FreshToken(kind, providerId, accessToken));
    } catch (CalendarProviderException | UnsupportedOperationException e) {
      log.info(
          "provider {}: {} did not list the calendars ({}); linking the primary one",
          providerId,
          kind,
          e.getClass().getSimpleName());
      links.link(practiceId, providerId, kind, PRIMARY, true, true, Removal.DELETE);
      return page(HttpStatus.OK, primaryLinkedPage(kind));
    }
    String token = choices.offer(practiceId, providerId, kind);
    return page(HttpStatus.OK, choicePage(token, calendars, kind));
  }

  static String vendor(CalendarLink.Kind kind) {
    return kind == CalendarLink.Kind.GOOGLE ? "Google Calendar" : "Outlook";
  }

  static String path(CalendarLink.Kind kind) {
    return kind == CalendarLink.Kind.GOOGLE ? "google" : "microsoft";
  }

  @PostMapping(
      path = {"/oauth/google/calendars", "/oauth/microsoft/calendars"},
      consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
  @Operation(
      summary = "The provider's pick of calendars, posted by the page after Google's consent",
      description =
          "Not called by practices (the page after Google's or Microsoft's consent posts it)."
              + " Links the calendar named by sessions (receives the sessions;"
              + " counts as busy if also named by busy) and every other calendar named by busy"
              + " (busy time only). 200 with a small page; 422 naming choice (unknown, expired or"
              + " used), sessions or busy (not one of the provider's calendars, or not writable).")
  ResponseEntity<String> choose(
      @RequestParam(name = "choice", required = false) @Nullable String token,
      @RequestParam(name = "sessions", required = false) @Nullable String sessions,
      @RequestParam(name = "busy", required = false) @Nullable List<String> busy) {
    CalendarChoices.Chooser chooser = choices.take(token == null ? "" : token);
    CalendarAccount account =
        accounts
            .account(chooser.practiceId(), chooser.providerId(), chooser.kind())
            .orElseThrow(
                () ->
                    InvalidInputException.rule(
                        "choice", "the hub no longer holds this consent; start linking again"));
    List<CalendarInfo> calendars;
    try {
      calendars = vendors.calendars(account);
    } catch (CalendarProviderException e) {
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE,
          vendor(chooser.kind()) + " unavailable",
          vendor(chooser.kind())
              + " could not list the calendars to check the choice ("
              + e.getClass().getSimpleName()
              + "); ask the practice to start linking again later");
    }
    Map<String, CalendarInfo> byId =
        calendars.stream()
            .collect(
                Collectors.toMap(
                    c -> c.primary() ? PRIMARY : c.id(), Function.identity(), (a, b) -> a));
    String sessionsId = sessions == null ? "" : sessions.strip();
    CalendarInfo target = byId.get(sessionsId);
    if (target == null) {
      throw InvalidInputException.rule("sessions", "pick one of your calendars for the sessions");
    }
    if (!target.writable()) {
      throw InvalidInputException.rule(
          "sessions", "the hub cannot add events to that calendar; pick one you own or can edit");
    }
    Set<String> busyIds = new LinkedHashSet<>();
    for (String id : busy == null ? List.<String>of() : busy) {
      String clean = id.strip();
      if (!byId.containsKey(clean)) {
        throw InvalidInputException.rule("busy", "pick busy calendars among your own calendars");
      }
      busyIds.add(clean);
    }
    List<String> done = new ArrayList<>();
    linkQuietly(chooser, sessionsId, true, busyIds.contains(sessionsId));
    done.add(
        "Your sessions go to <b>"
            + HtmlUtils.htmlEscape(target.name())
            + "</b>"
            + (busyIds.contains(sessionsId) ? ", and its other events count as busy." : "."));
    for (String id : busyIds) {
      if (!id.equals(sessionsId)) {
        linkQuietly(chooser, id, false, true);
        done.add(
            "Events in <b>" + HtmlUtils.htmlEscape(byId.get(id).name()) + "</b> count as busy.");
      }
    }
    log.info(
        "provider {} of practice {} picked {} {} calendar(s)",
        chooser.providerId(),
        chooser.practiceId(),
        chooser.kind(),
        1 + busyIds.stream().filter(id -> !id.equals(sessionsId)).count());
    return page(HttpStatus.OK, donePage(done, chooser.kind()));
  }

  /** A calendar linked meanwhile (the practice's API, a second tab) stays as it is. */
  private void linkQuietly(
      CalendarChoices.Chooser chooser, String calendarId, boolean sessions, boolean busy) {
    try {
      links.link(
          chooser.practiceId(),
          chooser.providerId(),
          chooser.kind(),
          calendarId,
          sessions,
          busy,
          Removal.DELETE);
    } catch (ConflictException linkedAlready) {
      // keep what is there
    }
  }

  // ------------------------------------------------------------------------------ pages

  static String primaryLinkedPage(CalendarLink.Kind kind) {
    return head(vendor(kind) + " connected")
        + "<h1>"
        + vendor(kind)
        + " connected — you can close this window</h1>"
        + "<p>Your sessions will appear in your main calendar, and your other events"
        + " there count as busy time.</p>"
        + "<p>To use another of your calendars, ask your practice to change it.</p>"
        + "</body></html>\n";
  }

  static String reconnectedPage(CalendarLink.Kind kind) {
    return head(vendor(kind) + " connected again")
        + "<h1>"
        + vendor(kind)
        + " connected again — you can close this window</h1>"
        + "<p>The calendars you linked before are used again; sessions that waited are being"
        + " brought up to date.</p>"
        + "</body></html>\n";
  }

  private static String choicePage(
      String token, List<CalendarInfo> calendars, CalendarLink.Kind kind) {
    StringBuilder html = new StringBuilder(head("Choose your calendars"));
    html.append("<h1>Choose your calendars</h1>")
        .append("<form method=\"post\" action=\"/oauth/")
        .append(path(kind))
        .append("/calendars\">")
        .append("<input type=\"hidden\" name=\"choice\" value=\"")
        .append(HtmlUtils.htmlEscape(token))
        .append("\">")
        .append("<fieldset><legend>Put my sessions in</legend>");
    for (CalendarInfo c : calendars) {
      if (c.writable()) {
        html.append(option("radio", "sessions", c));
      }
    }
    html.append("</fieldset><fieldset><legend>Events in these calendars make me busy</legend>");
    for (CalendarInfo c : calendars) {
      html.append(option("checkbox", "busy", c));
    }
    html.append("</fieldset>")
        .append("<p>Sessions show initials or a generic title, never clinical notes.</p>")
        .append("<button type=\"submit\">Use these calendars</button></form></body></html>\n");
    return html.toString();
  }

  private static String option(String type, String name, CalendarInfo c) {
    String value = c.primary() ? PRIMARY : c.id();
    return "<label><input type=\""
        + type
        + "\" name=\""
        + name
        + "\" value=\""
        + HtmlUtils.htmlEscape(value)
        + "\""
        + (c.primary() ? " checked" : "")
        + "> "
        + HtmlUtils.htmlEscape(c.name())
        + (c.primary() ? " (primary)" : "")
        + "</label><br>";
  }

  private static String donePage(List<String> lines, CalendarLink.Kind kind) {
    StringBuilder html = new StringBuilder(head(vendor(kind) + " connected"));
    html.append("<h1>").append(vendor(kind)).append(" connected — you can close this window</h1>");
    for (String line : lines) {
      html.append("<p>").append(line).append("</p>");
    }
    return html.append("</body></html>\n").toString();
  }

  private static String head(String title) {
    return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width\"><title>"
        + title
        + "</title></head><body>";
  }

  static ResponseEntity<String> page(HttpStatus status, String html) {
    return ResponseEntity.status(status)
        .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
        .header("Cache-Control", "no-store")
        .header("Referrer-Policy", "no-referrer")
        .header("X-Frame-Options", "DENY")
        .header("Content-Security-Policy", "default-src 'none'; form-action 'self'")
        .body(html);
  }

  /** The token Google just granted, for listing the calendars on the spot. */
  private record FreshToken(CalendarLink.Kind kind, UUID providerId, String token)
      implements CalendarAccount {
    @Override
    public String id() {
      return kind.accountId(providerId);
    }

    @Override
    public String accessToken() {
      return token;
    }

    @Override
    public void invalidate(String rejected) {
      // a fresh token refused: the listing fails and the primary calendar is linked instead
    }

    @Override
    public String toString() {
      return "FreshToken[" + id() + "]";
    }
  }
}
