package org.sessionbridge.config.feeds;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The addresses a subscriber is given for one feed secret: https (works everywhere), webcal (opens
 * the subscribe dialog on Apple devices), the one-click links of Google and Outlook, and the
 * subscribe page that shows them all with a QR code.
 */
public record FeedLinks(
    String url,
    String webcalUrl,
    String subscribeUrl,
    String googleUrl,
    String outlookUrl,
    String microsoft365Url) {

  static FeedLinks of(String publicBaseUrl, String secret, String calendarName) {
    String base =
        publicBaseUrl.endsWith("/")
            ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1)
            : publicBaseUrl;
    String url = base + "/feeds/" + secret + ".ics";
    URI uri = URI.create(url);
    String webcal = "webcal://" + uri.getRawAuthority() + uri.getRawPath();
    String encoded = URLEncoder.encode(url, StandardCharsets.UTF_8);
    String name = URLEncoder.encode(calendarName, StandardCharsets.UTF_8);
    return new FeedLinks(
        url,
        webcal,
        base + "/feeds/" + secret,
        "https://calendar.google.com/calendar/render?cid="
            + URLEncoder.encode(webcal, StandardCharsets.UTF_8),
        "https://outlook.live.com/calendar/0/addfromweb?url=" + encoded + "&name=" + name,
        "https://outlook.office.com/calendar/0/addfromweb?url=" + encoded + "&name=" + name);
  }

  @Override
  public String toString() {
    return "FeedLinks[<redacted>]";
  }
}
