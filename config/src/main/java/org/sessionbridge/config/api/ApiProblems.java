package org.sessionbridge.config.api;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.error.ConflictException;
import org.sessionbridge.core.error.FieldProblem;
import org.sessionbridge.core.error.ForbiddenException;
import org.sessionbridge.core.error.InvalidInputException;
import org.sessionbridge.core.error.NotFoundException;
import org.sessionbridge.core.error.VersionMismatchException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;

/**
 * Every error the API answers is an RFC 9457 problem ({@code application/problem+json}) that names
 * the offending field in {@code field} and lists all of them in {@code errors}. 400: the request
 * could not be understood; 422: understood but refused by a rule; 404: nothing of that id in the
 * caller's practice; 409: clashes with the current state; 412: stale {@code If-Match}.
 */
@RestControllerAdvice
final class ApiProblems extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ApiProblems.class);
  private static final String TYPE_BASE = "urn:sessionbridge:problem:";

  @ExceptionHandler(InvalidInputException.class)
  ResponseEntity<ProblemDetail> invalid(InvalidInputException e) {
    HttpStatus status =
        e.kind() == InvalidInputException.Kind.MALFORMED
            ? HttpStatus.BAD_REQUEST
            : HttpStatus.UNPROCESSABLE_CONTENT;
    String type =
        e.kind() == InvalidInputException.Kind.MALFORMED ? "invalid-field" : "rule-violated";
    return fields(status, type, "Invalid request", e.problems());
  }

  @ExceptionHandler(NotFoundException.class)
  ResponseEntity<ProblemDetail> notFound(NotFoundException e) {
    return problem(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage(), null);
  }

  @ExceptionHandler(ConflictException.class)
  ResponseEntity<ProblemDetail> conflict(ConflictException e) {
    return fields(
        HttpStatus.CONFLICT,
        "conflict",
        "Conflict with the current state",
        List.of(new FieldProblem(e.field(), e.getMessage())));
  }

  @ExceptionHandler(ForbiddenException.class)
  ResponseEntity<ProblemDetail> forbidden(ForbiddenException e) {
    return fields(
        HttpStatus.FORBIDDEN,
        "forbidden",
        "Not allowed for the acting staff member",
        List.of(new FieldProblem(e.field(), e.getMessage())));
  }

  @ExceptionHandler(VersionMismatchException.class)
  ResponseEntity<ProblemDetail> stale(VersionMismatchException e) {
    ResponseEntity<ProblemDetail> answer =
        fields(
            HttpStatus.PRECONDITION_FAILED,
            "stale-version",
            "Appointment changed meanwhile",
            List.of(new FieldProblem("If-Match", e.getMessage())));
    return ResponseEntity.status(answer.getStatusCode())
        .eTag(Long.toString(e.current()))
        .body(answer.getBody());
  }

  @ExceptionHandler(ApiException.class)
  ResponseEntity<ProblemDetail> api(ApiException e) {
    ResponseEntity<ProblemDetail> answer =
        problem(e.status(), slug(e.status()), e.title(), e.getMessage(), null);
    if (e.status() == HttpStatus.UNAUTHORIZED) {
      return ResponseEntity.status(e.status())
          .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"sessionbridge\"")
          .body(answer.getBody());
    }
    return answer;
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<ProblemDetail> badParameter(MethodArgumentTypeMismatchException e) {
    if (e.getParameter()
        .hasParameterAnnotation(org.springframework.web.bind.annotation.PathVariable.class)) {
      // A malformed id cannot name anything: same answer as an id of another practice.
      return problem(
          HttpStatus.NOT_FOUND, "not-found", "Not found", "no resource with this id", null);
    }
    return fields(
        HttpStatus.BAD_REQUEST,
        "invalid-field",
        "Invalid request",
        List.of(new FieldProblem(e.getName(), "has the wrong format")));
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
    // The message may carry request data; the type and path are enough to find it in the code.
    log.error(
        "unexpected {} on {} {}",
        e.getClass().getName(),
        request.getMethod(),
        request.getRequestURI(),
        e);
    return problem(
        HttpStatus.INTERNAL_SERVER_ERROR,
        "internal",
        "Internal error",
        "the hub could not complete the request; nothing was changed. Retry later and tell the"
            + " operator if it persists",
        null);
  }

  @Override
  protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    BodySizeLimit.TooLarge tooLarge = find(e, BodySizeLimit.TooLarge.class);
    if (tooLarge != null) {
      return widen(api(ApiException.tooLarge(tooLarge.limit)));
    }
    JacksonException json = find(e, JacksonException.class);
    if (json == null || json instanceof StreamReadException || json.getPath().isEmpty()) {
      String reason =
          json == null
              ? "the request body is missing or is not JSON"
              : "the request body is not valid JSON (line "
                  + location(json)
                  + "); send a JSON object with Content-Type: application/json";
      return widen(
          problem(HttpStatus.BAD_REQUEST, "malformed-json", "Malformed JSON", reason, null));
    }
    String field = path(json);
    return widen(
        fields(
            HttpStatus.BAD_REQUEST,
            "invalid-field",
            "Invalid request",
            List.of(new FieldProblem(field, "has the wrong JSON type"))));
  }

  @Override
  protected @Nullable ResponseEntity<Object> handleTypeMismatch(
      TypeMismatchException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    String name = e.getPropertyName() == null ? "parameter" : e.getPropertyName();
    return widen(
        fields(
            HttpStatus.BAD_REQUEST,
            "invalid-field",
            "Invalid request",
            List.of(new FieldProblem(name, "has the wrong format"))));
  }

  @Override
  protected @Nullable ResponseEntity<Object> handleServletRequestBindingException(
      org.springframework.web.bind.ServletRequestBindingException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    if (e instanceof MissingRequestHeaderException missing) {
      return widen(
          fields(
              HttpStatus.BAD_REQUEST,
              "invalid-field",
              "Invalid request",
              List.of(new FieldProblem(missing.getHeaderName(), "header is required"))));
    }
    return super.handleServletRequestBindingException(e, headers, status, request);
  }

  private static String path(JacksonException e) {
    StringBuilder sb = new StringBuilder();
    for (JacksonException.Reference ref : e.getPath()) {
      if (ref.getPropertyName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(ref.getPropertyName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.length() == 0 ? "body" : sb.toString();
  }

  private static String location(JacksonException e) {
    return e.getLocation() == null
        ? "?"
        : e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
  }

  static ResponseEntity<ProblemDetail> fields(
      HttpStatus status, String type, String title, List<FieldProblem> problems) {
    FieldProblem first = problems.get(0);
    String detail =
        problems.size() == 1
            ? first.field() + ": " + first.reason()
            : problems.size() + " fields are invalid; see errors";
    ResponseEntity<ProblemDetail> answer = problem(status, type, title, detail, first.field());
    ProblemDetail body = answer.getBody();
    if (body != null) {
      body.setProperty("reason", first.reason());
      body.setProperty(
          "errors",
          problems.stream().map(p -> Map.of("field", p.field(), "reason", p.reason())).toList());
    }
    return answer;
  }

  static ResponseEntity<ProblemDetail> problem(
      HttpStatusCode status, String type, String title, String detail, @Nullable String field) {
    ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
    body.setType(URI.create(TYPE_BASE + type));
    body.setTitle(title);
    if (field != null) {
      body.setProperty("field", field);
    }
    return ResponseEntity.status(status).body(body);
  }

  private static String slug(HttpStatus status) {
    return status.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  @SuppressWarnings("unchecked")
  private static ResponseEntity<Object> widen(ResponseEntity<?> answer) {
    return (ResponseEntity<Object>) answer;
  }

  private static <T extends Throwable> @Nullable T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }
}
