package org.sessionbridge.config.api;

import org.springframework.http.HttpStatus;

/** An HTTP-level refusal (authentication, authorisation, size) raised by the API's own plumbing. */
final class ApiException extends RuntimeException {

  private final HttpStatus status;
  private final String title;

  ApiException(HttpStatus status, String title, String detail) {
    super(detail);
    this.status = status;
    this.title = title;
  }

  static ApiException unauthorized(String detail) {
    return new ApiException(HttpStatus.UNAUTHORIZED, "Unauthorized", detail);
  }

  static ApiException forbidden(String detail) {
    return new ApiException(HttpStatus.FORBIDDEN, "Forbidden", detail);
  }

  static ApiException tooLarge(int limit) {
    return new ApiException(
        HttpStatus.CONTENT_TOO_LARGE,
        "Request body too large",
        "the request body is larger than the limit of "
            + limit
            + " bytes (sessionbridge.api.max-body-bytes)");
  }

  HttpStatus status() {
    return status;
  }

  String title() {
    return title;
  }
}
