package org.sessionbridge.core.practice;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.error.FieldProblem;

/**
 * The shape of a video service: each platform takes exactly the contact it needs ({@link
 * VideoPlatform#contact()}) and no other. Problems here make a request unreadable (400); the
 * practice's compliance policy is checked after these pass.
 */
public final class VideoServiceRules {

  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

  /** A Skype name (6–32, starting with a letter) or a Microsoft-account id ({@code live:…}). */
  private static final Pattern SKYPE_ID =
      Pattern.compile("live:[A-Za-z0-9._-]{1,59}|[A-Za-z][A-Za-z0-9.,_-]{5,31}");

  private VideoServiceRules() {}

  public static List<FieldProblem> contactProblems(
      VideoPlatform platform,
      @Nullable String url,
      @Nullable String skypeId,
      @Nullable String phone,
      @Nullable String hostAccount) {
    List<FieldProblem> problems = new ArrayList<>();
    VideoPlatform.Contact contact = platform.contact();
    need(problems, platform, "url", url, contact == VideoPlatform.Contact.URL);
    need(problems, platform, "skypeId", skypeId, contact == VideoPlatform.Contact.SKYPE_ID);
    need(problems, platform, "phone", phone, contact == VideoPlatform.Contact.PHONE);
    if (url != null && !absoluteWebLink(url)) {
      problems.add(new FieldProblem("url", "must be an absolute https link"));
    }
    if (skypeId != null && !SKYPE_ID.matcher(skypeId).matches()) {
      problems.add(
          new FieldProblem(
              "skypeId",
              "must be a Skype ID: 6 to 32 letters, digits or . , - _ starting with a letter, or"
                  + " live:…"));
    }
    if (phone != null && !E164.matcher(phone).matches()) {
      problems.add(new FieldProblem("phone", "must be an E.164 phone number such as +15551234567"));
    }
    if (hostAccount != null && !platform.hubManaged()) {
      problems.add(
          new FieldProblem(
              "hostAccount", "only hub-managed platforms (ZOOM, TEAMS) have a host account"));
    }
    return problems;
  }

  private static void need(
      List<FieldProblem> problems,
      VideoPlatform platform,
      String field,
      @Nullable String value,
      boolean needed) {
    if (needed && value == null) {
      problems.add(new FieldProblem(field, "is required for " + platform.name()));
    } else if (!needed && value != null) {
      problems.add(
          new FieldProblem(
              field,
              platform.hubManaged()
                  ? "is not taken for "
                      + platform.name()
                      + ": the hub creates each meeting and its link"
                  : "is not taken for "
                      + platform.name()
                      + "; it needs "
                      + switch (platform.contact()) {
                        case URL -> "url";
                        case SKYPE_ID -> "skypeId";
                        case PHONE -> "phone";
                        case HUB_MEETING -> "nothing";
                      }));
    }
  }

  /** Absolute http(s) with a host: whether it is https is the compliance policy's question. */
  private static boolean absoluteWebLink(String url) {
    try {
      java.net.URI uri = new java.net.URI(url);
      String scheme = uri.getScheme();
      return uri.getHost() != null
          && ("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme));
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }
}
