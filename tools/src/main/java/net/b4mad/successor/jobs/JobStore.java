package net.b4mad.successor.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongPredicate;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.mcp.ToolException;
import net.b4mad.successor.workspace.WorkspaceStore;
import tools.jackson.databind.JsonNode;

/**
 * The job queue in the workspace database ({@code runs} rows), shared by the server and the worker process: every
 * state change is one IMMEDIATE transaction that also appends to {@code run_events}, so two processes never both
 * claim a job and the history shows when each change happened.
 */
public final class JobStore {

  private static final String COLUMNS =
      "id, kind, state, priority, bead_id, run_dir, created_at, updated_at, started_at, finished_at, heartbeat_at,"
          + " worker_pid, error, cancel_requested, resume, depends_on, pipeline_id";

  private static final tools.jackson.core.type.TypeReference<List<String>> STRINGS = new tools.jackson.core.type.TypeReference<>() {};

  private final WorkspaceStore store;

  public JobStore(WorkspaceStore store) {
    this.store = store;
  }

  /** A change of state with its time, as {@code run_events} keeps it. */
  public record Event(String at, String state, String detail) {}

  public Job enqueue(String id, JobSpec spec, String runDir) {
    String now = Instant.now().toString();
    store.write(connection -> {
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO runs (id, kind, state, bead_id, run_dir, created_at, updated_at, priority, spec, depends_on,"
              + " pipeline_id) VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?)")) {
        insert.setString(1, id);
        insert.setString(2, spec.kind());
        insert.setString(3, spec.beadId());
        insert.setString(4, runDir);
        insert.setString(5, now);
        insert.setString(6, now);
        insert.setInt(7, spec.priority());
        insert.setString(8, Json.write(spec));
        insert.setString(9, Json.write(spec.dependsOn()));
        insert.setString(10, spec.pipelineId());
        insert.executeUpdate();
      }
      event(connection, id, now, JobState.QUEUED, "enqueued");
      return null;
    });
    return get(id).orElseThrow();
  }

  /**
   * Takes the next queued job (highest priority, then oldest) whose dependencies have all succeeded, for the
   * worker {@code pid}; empty when none can start. A queued job with a dependency that failed or was cancelled
   * is cancelled on the way, with the reason, and handed to {@code cancelled}.
   */
  public Optional<Job> claimNext(long pid, java.util.function.Consumer<Job> cancelled) {
    List<String> blocked = new ArrayList<>();
    String id = store.write(connection -> {
      String next = null;
      String now = Instant.now().toString();
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT id, depends_on FROM runs WHERE state = 'queued' ORDER BY priority DESC, created_at, rowid");
          ResultSet rows = select.executeQuery()) {
        List<String[]> queued = new ArrayList<>();
        while (rows.next()) {
          queued.add(new String[] {rows.getString(1), rows.getString(2)});
        }
        for (String[] candidate : queued) {
          String blocker = null;
          boolean waiting = false;
          for (JsonNode dependency : Json.MAPPER.readTree(candidate[1])) {
            String state = stateOf(connection, dependency.asString());
            if (state == null || state.equals("failed") || state.equals("cancelled")) {
              blocker = dependency.asString() + (state == null ? " does not exist" : " " + state);
            } else if (!state.equals("succeeded")) {
              waiting = true;
            }
          }
          if (blocker != null) {
            cancelBlocked(connection, candidate[0], now, "not run: job " + blocker);
            blocked.add(candidate[0]);
          } else if (!waiting && next == null) {
            next = candidate[0];
          }
        }
      }
      if (next == null) {
        return null;
      }
      try (PreparedStatement update = connection.prepareStatement(
          "UPDATE runs SET state = 'running', started_at = ?, heartbeat_at = ?, updated_at = ?, worker_pid = ?,"
              + " error = NULL, finished_at = NULL WHERE id = ? AND state = 'queued'")) {
        update.setString(1, now);
        update.setString(2, now);
        update.setString(3, now);
        update.setLong(4, pid);
        update.setString(5, next);
        update.executeUpdate();
      }
      event(connection, next, now, JobState.RUNNING, "worker " + pid);
      return next;
    });
    blocked.forEach(job -> cancelled.accept(require(job)));
    return id == null ? Optional.empty() : get(id);
  }

  /** Records that the worker is alive; returns whether a cancel was asked for. */
  public boolean heartbeat(String id, long pid) {
    return store.write(connection -> {
      try (PreparedStatement update = connection.prepareStatement(
          "UPDATE runs SET heartbeat_at = ? WHERE id = ? AND worker_pid = ? AND state = 'running'")) {
        update.setString(1, Instant.now().toString());
        update.setString(2, id);
        update.setLong(3, pid);
        update.executeUpdate();
      }
      try (PreparedStatement select = connection.prepareStatement("SELECT cancel_requested FROM runs WHERE id = ?")) {
        select.setString(1, id);
        try (ResultSet rows = select.executeQuery()) {
          return rows.next() && rows.getInt(1) == 1;
        }
      }
    });
  }

  /** Ends a running job; the detail goes to its history. */
  public void finish(String id, JobState state, String error, String detail) {
    if (!state.ended()) {
      throw new IllegalArgumentException("a job ends succeeded, failed or cancelled, not " + state.label());
    }
    String now = Instant.now().toString();
    store.write(connection -> {
      try (PreparedStatement update = connection.prepareStatement(
          "UPDATE runs SET state = ?, finished_at = ?, updated_at = ?, error = ?, resume = 0 WHERE id = ?")) {
        update.setString(1, state.label());
        update.setString(2, now);
        update.setString(3, now);
        update.setString(4, error);
        update.setString(5, id);
        update.executeUpdate();
      }
      event(connection, id, now, state, detail);
      return null;
    });
  }

  /**
   * Cancels a job: a queued one at once, a running one at its next step (the worker saves a checkpoint first).
   *
   * @return the job after the change
   */
  public Job cancel(String id) {
    Job job = require(id);
    String now = Instant.now().toString();
    switch (job.state()) {
      case QUEUED -> finish(id, JobState.CANCELLED, null, "cancelled before it started");
      case RUNNING -> store.write(connection -> {
        try (PreparedStatement update = connection.prepareStatement(
            "UPDATE runs SET cancel_requested = 1, updated_at = ? WHERE id = ?")) {
          update.setString(1, now);
          update.setString(2, id);
          update.executeUpdate();
        }
        event(connection, id, now, JobState.RUNNING, "cancel requested: stops after the current step");
        return null;
      });
      default -> throw new ToolException(
          "job " + id + " already ended (" + job.state().label() + "); there is nothing to cancel");
    }
    return require(id);
  }

  /** Queues a failed or cancelled job again, to continue from its last checkpoint. */
  public Job resume(String id) {
    Job job = require(id);
    if (job.state() != JobState.FAILED && job.state() != JobState.CANCELLED) {
      throw new ToolException("job " + id + " is " + job.state().label()
          + "; only a failed or cancelled job can be resumed" + (job.state() == JobState.SUCCEEDED
              ? " (it finished: start a new run to train further)" : ""));
    }
    String now = Instant.now().toString();
    store.write(connection -> {
      try (PreparedStatement update = connection.prepareStatement(
          "UPDATE runs SET state = 'queued', resume = 1, cancel_requested = 0, error = NULL, finished_at = NULL,"
              + " worker_pid = NULL, updated_at = ? WHERE id = ?")) {
        update.setString(1, now);
        update.setString(2, id);
        update.executeUpdate();
      }
      event(connection, id, now, JobState.QUEUED, "queued to resume from its last checkpoint");
      return null;
    });
    return require(id);
  }

  /**
   * Fails running jobs whose worker is gone: its process no longer exists, or it has not sent a heartbeat for
   * {@code silence}. Such a job was killed (kill -9, out of memory, power loss) mid-run; {@code job_resume}
   * continues it from its last checkpoint. Returns the jobs it failed.
   */
  public List<Job> failStale(Duration silence, LongPredicate workerAlive) {
    List<Job> stale = new ArrayList<>();
    Instant limit = Instant.now().minus(silence);
    for (Job job : list(JobState.RUNNING, null, Integer.MAX_VALUE)) {
      boolean silent = job.heartbeatAt() == null || Instant.parse(job.heartbeatAt()).isBefore(limit);
      boolean gone = job.workerPid() != null && !workerAlive.test(job.workerPid());
      if (silent || gone) {
        String reason = "the worker (pid " + job.workerPid() + ") "
            + (gone ? "is gone" : "sent no heartbeat since " + job.heartbeatAt())
            + ": killed, out of memory or a power loss; job_resume continues from the last checkpoint";
        finish(job.id(), JobState.FAILED, reason, "stale: " + reason);
        stale.add(require(job.id()));
      }
    }
    return stale;
  }

  /** {@link #failStale(Duration, LongPredicate)}, and each failed job's bead is marked failed with its error. */
  public void failStale(Duration silence, LongPredicate workerAlive, JobBeads beads) {
    failStale(silence, workerAlive).forEach(job -> beads.finished(job, JobState.FAILED, job.error()));
  }

  public Optional<Job> get(String id) {
    return store.read(connection -> {
      try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM runs WHERE id = ?")) {
        select.setString(1, id);
        try (ResultSet rows = select.executeQuery()) {
          return rows.next() ? Optional.of(job(rows)) : Optional.empty();
        }
      }
    });
  }

  public Job require(String id) {
    return get(id).orElseThrow(() -> new ToolException("no job '" + id + "'; job_list shows the jobs there are"));
  }

  /** Newest first; null filters match everything. */
  public List<Job> list(JobState state, String kind, int limit) {
    return store.read(connection -> {
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT " + COLUMNS + " FROM runs WHERE (? IS NULL OR state = ?) AND (? IS NULL OR kind = ?)"
              + " ORDER BY created_at DESC, rowid DESC LIMIT ?")) {
        String label = state == null ? null : state.label();
        select.setString(1, label);
        select.setString(2, label);
        select.setString(3, kind);
        select.setString(4, kind);
        select.setInt(5, limit);
        return jobs(select);
      }
    });
  }

  /** A pipeline's steps, in the order they were queued. */
  public List<Job> ofPipeline(String pipelineId) {
    return store.read(connection -> {
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT " + COLUMNS + " FROM runs WHERE pipeline_id = ? ORDER BY created_at, rowid")) {
        select.setString(1, pipelineId);
        return jobs(select);
      }
    });
  }

  private static List<Job> jobs(PreparedStatement select) throws SQLException {
    List<Job> jobs = new ArrayList<>();
    try (ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        jobs.add(job(rows));
      }
    }
    return jobs;
  }

  public List<Event> events(String id) {
    return store.read(connection -> {
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT at, state, detail FROM run_events WHERE run_id = ? ORDER BY rowid")) {
        select.setString(1, id);
        List<Event> events = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            events.add(new Event(rows.getString(1), rows.getString(2), rows.getString(3)));
          }
        }
        return events;
      }
    });
  }

  private static String stateOf(Connection connection, String id) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement("SELECT state FROM runs WHERE id = ?")) {
      select.setString(1, id);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? rows.getString(1) : null;
      }
    }
  }

  private static void cancelBlocked(Connection connection, String id, String now, String reason) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(
        "UPDATE runs SET state = 'cancelled', finished_at = ?, updated_at = ?, error = ? WHERE id = ?")) {
      update.setString(1, now);
      update.setString(2, now);
      update.setString(3, reason);
      update.setString(4, id);
      update.executeUpdate();
    }
    event(connection, id, now, JobState.CANCELLED, reason);
  }

  private static void event(Connection connection, String id, String at, JobState state, String detail)
      throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO run_events (run_id, at, state, detail) VALUES (?, ?, ?, ?)")) {
      insert.setString(1, id);
      insert.setString(2, at);
      insert.setString(3, state.label());
      insert.setString(4, detail);
      insert.executeUpdate();
    }
  }

  private static Job job(ResultSet rows) throws SQLException {
    long pid = rows.getLong(12);
    Long workerPid = rows.wasNull() ? null : pid;
    return new Job(rows.getString(1), rows.getString(2), JobState.parse(rows.getString(3)), rows.getInt(4),
        rows.getString(5), rows.getString(6), rows.getString(7), rows.getString(8), rows.getString(9),
        rows.getString(10), rows.getString(11), workerPid, rows.getString(13), rows.getInt(14) == 1,
        rows.getInt(15) == 1, Json.MAPPER.readValue(rows.getString(16), STRINGS), rows.getString(17));
  }
}
