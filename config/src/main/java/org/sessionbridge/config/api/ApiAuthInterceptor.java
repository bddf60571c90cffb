package org.sessionbridge.config.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.practice.PracticeStore;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Authenticates every {@code /api/**} call from {@code Authorization: Bearer <key>}: the operator
 * key (compared in constant time) or a practice key (looked up by its hash). Keys are never logged
 * or echoed back. Also refuses a declared body over the size limit before anything reads it.
 */
final class ApiAuthInterceptor implements HandlerInterceptor {

  private final PracticeStore practices;
  private final byte @Nullable [] operatorKey;
  private final int maxBodyBytes;

  ApiAuthInterceptor(PracticeStore practices, @Nullable String operatorKey, int maxBodyBytes) {
    this.practices = practices;
    this.operatorKey =
        operatorKey == null || operatorKey.isBlank()
            ? null
            : operatorKey.getBytes(StandardCharsets.UTF_8);
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    if (request.getContentLengthLong() > maxBodyBytes) {
      throw ApiException.tooLarge(maxBodyBytes);
    }
    String header = request.getHeader("Authorization");
    if (header == null || header.isBlank()) {
      throw ApiException.unauthorized(
          "send the practice API key (or the operator key) as Authorization: Bearer <key>");
    }
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
      throw ApiException.unauthorized("the Authorization header must be: Bearer <key>");
    }
    String key = header.substring(7).trim();
    request.setAttribute(Caller.REQUEST_ATTRIBUTE, identify(key));
    return true;
  }

  private Caller identify(String key) {
    if (operatorKey != null
        && MessageDigest.isEqual(operatorKey, key.getBytes(StandardCharsets.UTF_8))) {
      return new Caller.Operator();
    }
    return practices
        .findByApiKey(key)
        .<Caller>map(p -> new Caller.PracticeMember(p.id()))
        .orElseThrow(
            () ->
                ApiException.unauthorized(
                    "the API key is not valid; it may have been rotated (ask the operator for a"
                        + " new one)"));
  }
}
