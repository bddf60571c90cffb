package org.sessionbridge.config.feeds;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.config.settings.SessionBridgeProperties;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * {@code GET /feeds/{secret}}: the page a client opens on a phone to subscribe (the feed itself,
 * {@code /feeds/{secret}.ics}, is served by {@link FeedServingFilter}). The secret is the only
 * credential: it is never logged, never used as a metric tag, and an address that keeps guessing
 * gets 429. Unknown and revoked secrets take the same path (one lookup by hash) and differ only in
 * the status: 404, or 410 so calendar apps stop polling a revoked feed.
 */
@RestController
final class FeedEndpoint {

  private final FeedAccess feeds;
  private final String publicBaseUrl;

  FeedEndpoint(FeedAccess feeds, SessionBridgeProperties properties) {
    this.feeds = feeds;
    this.publicBaseUrl = properties.publicBaseUrl();
  }

  @GetMapping("/feeds/{secret}")
  ResponseEntity<?> subscribePage(@PathVariable String secret, HttpServletRequest request) {
    FeedAccess.Access access = feeds.check(secret, request.getRemoteAddr());
    ResponseEntity<?> refused = refusal(access);
    if (refused != null) {
      return refused;
    }
    FeedLinks links = FeedLinks.of(publicBaseUrl, secret, "Sessions");
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8));
    headers.setCacheControl(CacheControl.noStore());
    headers.set(
        "Content-Security-Policy",
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none';"
            + " form-action 'none'; frame-ancestors 'none'");
    privacy(headers);
    return new ResponseEntity<>(SubscribePage.html(links), headers, HttpStatus.OK);
  }

  private @Nullable ResponseEntity<?> refusal(FeedAccess.Access a) {
    if (a.feed() != null) {
      return null;
    }
    HttpHeaders headers = new HttpHeaders();
    if (a.retryAfterSeconds() > 0) {
      headers.set(HttpHeaders.RETRY_AFTER, Long.toString(a.retryAfterSeconds()));
    }
    return problem(a.status(), a.detail(), headers);
  }

  private static void privacy(HttpHeaders headers) {
    headers.set("Referrer-Policy", "no-referrer");
    headers.set("X-Robots-Tag", "noindex, nofollow, noarchive");
    headers.set("X-Content-Type-Options", "nosniff");
  }

  private static ResponseEntity<ProblemDetail> problem(
      HttpStatus status, String detail, HttpHeaders headers) {
    ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
    body.setType(URI.create("urn:sessionbridge:problem:feed-" + status.value()));
    body.setTitle(status.getReasonPhrase());
    privacy(headers);
    headers.setCacheControl(CacheControl.noStore());
    headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    return new ResponseEntity<>(body, headers, status);
  }

  /** The subscribe page: big buttons, a QR code, nothing loaded from elsewhere. */
  static final class SubscribePage {
    private SubscribePage() {}

    private static String button(String href, String label) {
      return "<a class=\"b\" rel=\"noreferrer\" href=\""
          + HtmlUtils.htmlEscape(href)
          + "\">"
          + label
          + "</a>";
    }

    static String html(FeedLinks links) {
      String url = HtmlUtils.htmlEscape(links.url());
      return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
          + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
          + "<meta name=\"referrer\" content=\"no-referrer\"><meta name=\"robots\" content=\"noindex\">"
          + "<title>Add your sessions to your calendar</title><style>"
          + "body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}"
          + "a.b{display:block;margin:.6rem 0;padding:.9rem 1rem;border-radius:.6rem;background:#1f5f8b;"
          + "color:#fff;text-decoration:none;font-size:1.1rem;text-align:center}"
          + "code{word-break:break-all;background:#f3f3f3;padding:.2rem}"
          + ".qr{text-align:center;margin:1.5rem 0}.note{color:#555;font-size:.9rem}</style></head><body>"
          + "<h1>Add your sessions to your calendar</h1>"
          + "<p>Subscribe once: new, moved and cancelled sessions then show up by themselves.</p>"
          + button(links.webcalUrl(), "Add to Apple Calendar")
          + button(links.googleUrl(), "Add to Google Calendar")
          + button(links.outlookUrl(), "Add to Outlook.com")
          + button(links.microsoft365Url(), "Add to Outlook (work or school)")
          + "<div class=\"qr\">"
          + QrSvg.of(links.url())
          + "<p class=\"note\">Scan with your phone's camera.</p></div>"
          + "<p>Other calendar apps: subscribe to <code>"
          + url
          + "</code></p>"
          + "<p class=\"note\">Keep this address private: anyone who has it can see your session times."
          + " Google and Microsoft fetch and store subscribed calendars on their servers."
          + " If it was shared by mistake, ask the practice to turn it off and send you a new one.</p>"
          + "</body></html>";
    }
  }
}
