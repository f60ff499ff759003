package net.b4mad.successor.workspace;

import java.util.List;

/**
 * The store's migrations, oldest first. Never edit a released migration: add the next number. Each area adds
 * the columns and tables it needs when it lands.
 */
final class StoreSchema {

  static final List<Migration> MIGRATIONS =
      List.of(
          new Migration(
              1,
              "core records: traces, dataset versions, runs, evals, models",
              List.of(
                  """
                  CREATE TABLE traces (
                    id TEXT PRIMARY KEY,
                    content_hash TEXT NOT NULL UNIQUE,
                    agent TEXT,
                    source TEXT,
                    session_id TEXT,
                    created_at TEXT NOT NULL,
                    record TEXT NOT NULL
                  )""",
                  """
                  CREATE TABLE dataset_versions (
                    name TEXT NOT NULL,
                    version TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    manifest_path TEXT NOT NULL,
                    PRIMARY KEY (name, version)
                  )""",
                  """
                  CREATE TABLE runs (
                    id TEXT PRIMARY KEY,
                    kind TEXT NOT NULL,
                    state TEXT NOT NULL,
                    bead_id TEXT,
                    run_dir TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL
                  )""",
                  """
                  CREATE TABLE evals (
                    id TEXT PRIMARY KEY,
                    run_id TEXT REFERENCES runs(id),
                    report_path TEXT NOT NULL,
                    created_at TEXT NOT NULL
                  )""",
                  """
                  CREATE TABLE models (
                    name TEXT PRIMARY KEY,
                    path TEXT NOT NULL,
                    base_model TEXT,
                    run_id TEXT REFERENCES runs(id),
                    created_at TEXT NOT NULL
                  )""")),
          new Migration(
              2,
              "trace search columns",
              List.of(
                  "ALTER TABLE traces ADD COLUMN started_at TEXT",
                  "ALTER TABLE traces ADD COLUMN outcome TEXT",
                  "ALTER TABLE traces ADD COLUMN tags TEXT NOT NULL DEFAULT '|'",
                  "ALTER TABLE traces ADD COLUMN bead_ids TEXT NOT NULL DEFAULT '|'",
                  "ALTER TABLE traces ADD COLUMN tool_names TEXT NOT NULL DEFAULT '|'",
                  "ALTER TABLE traces ADD COLUMN message_count INTEGER NOT NULL DEFAULT 0",
                  "CREATE INDEX traces_agent ON traces (agent)",
                  "CREATE INDEX traces_started_at ON traces (started_at)",
                  "CREATE INDEX traces_session ON traces (session_id)")),
          new Migration(
              3,
              "jobs: runs as queued work for the worker, with a history of state changes",
              List.of(
                  "ALTER TABLE runs ADD COLUMN priority INTEGER NOT NULL DEFAULT 0",
                  "ALTER TABLE runs ADD COLUMN spec TEXT",
                  "ALTER TABLE runs ADD COLUMN started_at TEXT",
                  "ALTER TABLE runs ADD COLUMN finished_at TEXT",
                  "ALTER TABLE runs ADD COLUMN heartbeat_at TEXT",
                  "ALTER TABLE runs ADD COLUMN worker_pid INTEGER",
                  "ALTER TABLE runs ADD COLUMN error TEXT",
                  "ALTER TABLE runs ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0",
                  "ALTER TABLE runs ADD COLUMN resume INTEGER NOT NULL DEFAULT 0",
                  """
                  CREATE TABLE run_events (
                    run_id TEXT NOT NULL REFERENCES runs(id),
                    at TEXT NOT NULL,
                    state TEXT NOT NULL,
                    detail TEXT
                  )""",
                  "CREATE INDEX runs_queue ON runs (state, priority, created_at)",
                  "CREATE INDEX run_events_run ON run_events (run_id)")),
          new Migration(
              4,
              "models: the production pointer as a history of promotions and rollbacks",
              List.of(
                  """
                  CREATE TABLE model_promotions (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    at TEXT NOT NULL,
                    action TEXT NOT NULL,
                    name TEXT NOT NULL,
                    model TEXT NOT NULL,
                    adapter TEXT,
                    run_id TEXT,
                    candidate_eval TEXT,
                    production_eval TEXT,
                    gate TEXT,
                    reasons TEXT NOT NULL,
                    replaces INTEGER REFERENCES model_promotions(id)
                  )""")),
          new Migration(
              5,
              "pipelines: jobs that wait for other jobs, pipelines, and the beads the watcher has taken",
              List.of(
                  "ALTER TABLE runs ADD COLUMN depends_on TEXT NOT NULL DEFAULT '[]'",
                  "ALTER TABLE runs ADD COLUMN pipeline_id TEXT",
                  """
                  CREATE TABLE pipelines (
                    id TEXT PRIMARY KEY,
                    created_at TEXT NOT NULL,
                    bead_id TEXT,
                    spec TEXT NOT NULL
                  )""",
                  """
                  CREATE TABLE watched_beads (
                    bead_id TEXT PRIMARY KEY,
                    claimed_at TEXT NOT NULL,
                    pipeline_id TEXT REFERENCES pipelines(id),
                    finished_at TEXT,
                    outcome TEXT
                  )""")));

  private StoreSchema() {}
}
