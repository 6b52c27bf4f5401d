"""Storage: schema, engine, dialect helpers and the summary tables the pages read."""
