package org.sessionbridge.core.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * How the hub's work stores hand a due row to exactly one of several nodes: select the rows that
 * look due, then take each with an {@code UPDATE} that repeats the due condition, so only the node
 * whose update changes the row has it. The condition is written once and used by both statements.
 *
 * @param table the table
 * @param keyColumns the columns that identify a row (bound as {@code :k0}, {@code :k1}, ...)
 * @param due the SQL condition of a row that may be taken (no leading {@code and})
 * @param order the {@code order by} list of the candidates
 * @param take the {@code set} list that marks a row taken (a lease owner and time, a hold)
 */
public record RowClaims(
    String table, List<String> keyColumns, String due, String order, String take) {

  public RowClaims {
    keyColumns = List.copyOf(keyColumns);
  }

  /**
   * Takes up to {@code limit} due rows; {@code params} binds the named parameters of {@code due}
   * and {@code take}. Answers the keys of the rows this call took, in candidate order (each key
   * holds the values of {@link #keyColumns}).
   */
  public List<List<Object>> claim(JdbcClient jdbc, int limit, Map<String, ?> params) {
    List<List<Object>> candidates =
        jdbc.sql(
                "select "
                    + String.join(", ", keyColumns)
                    + " from "
                    + table
                    + " where "
                    + due
                    + " order by "
                    + order
                    + " limit :limit")
            .params(params)
            .param("limit", limit)
            .query(
                (rs, n) -> {
                  List<Object> key = new ArrayList<>(keyColumns.size());
                  for (String column : keyColumns) {
                    key.add(rs.getObject(column));
                  }
                  return key;
                })
            .list();
    StringBuilder byKey = new StringBuilder();
    for (int i = 0; i < keyColumns.size(); i++) {
      byKey.append(keyColumns.get(i)).append(" = :k").append(i).append(" and ");
    }
    String update = "update " + table + " set " + take + " where " + byKey + "(" + due + ")";
    List<List<Object>> taken = new ArrayList<>();
    for (List<Object> key : candidates) {
      JdbcClient.StatementSpec statement = jdbc.sql(update).params(params);
      for (int i = 0; i < key.size(); i++) {
        statement = statement.param("k" + i, key.get(i));
      }
      if (statement.update() == 1) {
        taken.add(key);
      }
    }
    return taken;
  }
}
