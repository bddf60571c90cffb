package org.sessionbridge.config.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.sessionbridge.core.error.NotFoundException;
import org.sessionbridge.core.outbox.DeadLetter;
import org.sessionbridge.core.outbox.OutboxStats;
import org.sessionbridge.core.outbox.OutboxStore;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The operator's view of the outbox: how far behind it is, what failed, and replay. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Operations")
final class OperatorApi {

  private final OutboxStore outbox;

  OperatorApi(OutboxStore outbox) {
    this.outbox = outbox;
  }

  @GetMapping("/dead-letters")
  @Operation(summary = "Events that failed every attempt, oldest first (operator key)")
  List<DeadLetter> deadLetters(
      Caller.Operator operator,
      @RequestParam(defaultValue = "100") int limit,
      @RequestParam(defaultValue = "0") int offset) {
    FieldCheck.page(limit, offset, 1000);
    return outbox.deadLetters(limit, offset);
  }

  @GetMapping("/dead-letters/{id}")
  @Operation(summary = "One dead letter (operator key)")
  DeadLetter deadLetter(Caller.Operator operator, @PathVariable long id) {
    return outbox.deadLetter(id).orElseThrow(() -> new NotFoundException("dead letter"));
  }

  @PostMapping("/dead-letters/{id}/replay")
  @Operation(
      summary = "Put a dead letter back in line (operator key)",
      description =
          "Attempts start again from zero; handlers that already took the event are not called"
              + " again. Answers 202: delivery happens on the next outbox poll.")
  ResponseEntity<Void> replay(Caller.Operator operator, @PathVariable long id) {
    if (!outbox.replay(id)) {
      throw new NotFoundException("dead letter");
    }
    return ResponseEntity.accepted().build();
  }

  @GetMapping("/outbox")
  @Operation(summary = "Outbox backlog: pending, delivered, dead (operator key)")
  OutboxStats outbox(Caller.Operator operator) {
    return outbox.stats();
  }
}
