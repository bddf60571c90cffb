package org.sessionbridge.core.error;

import java.util.List;

/**
 * Input the hub refuses. {@link Kind#MALFORMED} means the request could not be understood (missing
 * field, unparsable value: HTTP 400); {@link Kind#RULE} means it was understood but breaks a rule
 * (end not after start, unknown provider: HTTP 422). Messages never carry the offending value, so
 * they are safe to log and to return.
 */
public final class InvalidInputException extends RuntimeException {

  /** Whether the request was unreadable or readable but refused. */
  public enum Kind {
    MALFORMED,
    RULE
  }

  private final Kind kind;
  private final List<FieldProblem> problems;

  public InvalidInputException(Kind kind, List<FieldProblem> problems) {
    super(summary(problems));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("an InvalidInputException needs at least one problem");
    }
    this.kind = kind;
    this.problems = List.copyOf(problems);
  }

  public static InvalidInputException malformed(String field, String reason) {
    return new InvalidInputException(Kind.MALFORMED, List.of(new FieldProblem(field, reason)));
  }

  public static InvalidInputException rule(String field, String reason) {
    return new InvalidInputException(Kind.RULE, List.of(new FieldProblem(field, reason)));
  }

  public Kind kind() {
    return kind;
  }

  public List<FieldProblem> problems() {
    return problems;
  }

  private static String summary(List<FieldProblem> problems) {
    StringBuilder sb = new StringBuilder();
    for (FieldProblem p : problems) {
      if (sb.length() > 0) {
        sb.append("; ");
      }
      sb.append(p.field()).append(": ").append(p.reason());
    }
    return sb.toString();
  }
}
