package net.b4mad.successor.workspace;

import java.util.List;

/** One numbered step of the store's schema; applied once, in order, inside one transaction. */
public record Migration(int version, String description, List<String> statements) {

  public Migration {
    if (version < 1) {
      throw new IllegalArgumentException("migration versions start at 1: " + version);
    }
    statements = List.copyOf(statements);
  }
}
