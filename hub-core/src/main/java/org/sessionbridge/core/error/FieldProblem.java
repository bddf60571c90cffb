package org.sessionbridge.core.error;

/**
 * One offending request field and why it was refused; {@code field} is a JSON path such as {@code
 * clientIds[1]}.
 */
public record FieldProblem(String field, String reason) {}
