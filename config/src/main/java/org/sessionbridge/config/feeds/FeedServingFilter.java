package org.sessionbridge.config.feeds;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code GET|HEAD /feeds/{secret}.ics}: the subscription itself. Calendar apps poll this far more
 * often than anything changes, so it is answered here, before Spring MVC's dispatch, from the
 * rendered-feed cache: a 304 costs a hash lookup and a string compare. The secret is never logged
 * and never becomes a metric tag (this path has no MVC handler, so no URI template either).
 *
 * <p>Conditional requests follow RFC 9110 §13.2.2: If-None-Match decides when present (strong
 * comparison against the body's hash); If-Modified-Since only without it, compared as a date.
 */
final class FeedServingFilter extends OncePerRequestFilter {

  private static final String PREFIX = "/feeds/";
  private static final String SUFFIX = ".ics";
  private static final String CONTENT_TYPE = "text/calendar; charset=utf-8";

  private final FeedAccess access;
  private final FeedContent content;
  private final String cacheControl;
  private final Map<Integer, Counter> answers = new HashMap<>();

  FeedServingFilter(
      FeedAccess access, FeedContent content, FeedSettings settings, MeterRegistry meters) {
    this.access = access;
    this.content = content;
    this.cacheControl = "private, max-age=" + settings.maxAge().toSeconds();
    // This path runs before Spring's HTTP metrics filter, so it counts its own answers; the status
    // is the only tag (never the secret).
    for (int status : new int[] {200, 304, 404, 410, 429}) {
      answers.put(
          status,
          Counter.builder("sessionbridge.feeds.requests")
              .description("Feed polls answered, by HTTP status")
              .tag("status", Integer.toString(status))
              .register(meters));
    }
  }

  private void count(int status) {
    Counter counter = answers.get(status);
    if (counter != null) {
      counter.increment();
    }
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String path = request.getRequestURI();
    return !(path.startsWith(PREFIX)
        && path.endsWith(SUFFIX)
        && path.indexOf('/', PREFIX.length()) < 0
        && ("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod())));
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String path = request.getRequestURI();
    String secret = path.substring(PREFIX.length(), path.length() - SUFFIX.length());
    FeedAccess.Access a = access.check(secret, request.getRemoteAddr());
    privacyHeaders(response);
    if (a.feed() == null) {
      count(a.status().value());
      refuse(response, a);
      return;
    }
    FeedContent.Rendered r = content.render(a.feed());
    response.setHeader("ETag", r.etag());
    response.setHeader("Last-Modified", r.httpDate());
    response.setHeader("Cache-Control", cacheControl);
    if (notModified(request, r)) {
      count(304);
      response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
      return;
    }
    count(200);
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentType(CONTENT_TYPE);
    response.setHeader("Content-Disposition", "inline; filename=\"sessions.ics\"");
    response.setContentLength(r.body().length);
    if (!"HEAD".equals(request.getMethod())) {
      response.getOutputStream().write(r.body());
    }
  }

  static boolean notModified(HttpServletRequest request, FeedContent.Rendered r) {
    String ifNoneMatch = request.getHeader("If-None-Match");
    if (ifNoneMatch != null) {
      for (String tag : ifNoneMatch.split(",")) {
        String t = tag.strip();
        if (t.equals("*") || t.equals(r.etag())) {
          return true;
        }
      }
      return false;
    }
    String ifModifiedSince = request.getHeader("If-Modified-Since");
    if (ifModifiedSince != null) {
      try {
        Instant since =
            ZonedDateTime.parse(ifModifiedSince, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        return !r.lastModified().isAfter(since);
      } catch (DateTimeParseException e) {
        return false;
      }
    }
    return false;
  }

  static void privacyHeaders(HttpServletResponse response) {
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader("X-Robots-Tag", "noindex, nofollow, noarchive");
    response.setHeader("X-Content-Type-Options", "nosniff");
  }

  /** An RFC 9457 problem, written by hand: this path runs outside Spring MVC. */
  static void refuse(HttpServletResponse response, FeedAccess.Access a) throws IOException {
    response.setStatus(a.status().value());
    response.setHeader("Cache-Control", "no-store");
    if (a.retryAfterSeconds() > 0) {
      response.setHeader("Retry-After", Long.toString(a.retryAfterSeconds()));
    }
    response.setContentType("application/problem+json");
    byte[] body =
        ("{\"type\":\"urn:sessionbridge:problem:feed-"
                + a.status().value()
                + "\",\"title\":\""
                + a.status().getReasonPhrase()
                + "\",\"status\":"
                + a.status().value()
                + ",\"detail\":\""
                + a.detail()
                + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  static String httpDate(Instant instant) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atZone(ZoneOffset.UTC));
  }
}
