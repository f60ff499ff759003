package net.b4mad.successor.beads;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.b4mad.successor.files.AtomicFiles;
import net.b4mad.successor.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Beads without bd: the issues live in {@code <repo>/.beads/issues.jsonl}, one issue per line in beads' own
 * JSON, so that {@code bd init --from-jsonl} or {@code bd import} takes them over when bd arrives. Ids, ready
 * work, appended notes, child ids and the close rule follow bd's (internal/idgen/hash.go, the blocked-issues
 * query, cmd/bd/update.go and close.go).
 *
 * <p>Every change is a read-modify-write of the whole file under an exclusive lock on {@code issues.jsonl.lock},
 * so the server and a worker process can both write, and the file is replaced atomically, so a reader never
 * sees half of it. Nothing already in the file is lost: fields this class does not know are kept, lines of
 * issues it does not change are written back byte for byte, and a line it cannot read stays as it is.
 */
public final class EmbeddedBeads implements Beads {

  public static final String DIR = ".beads";
  public static final String FILE = "issues.jsonl";

  /** Who created what, in the id hash (bd hashes its actor there). */
  private static final String CREATOR = "successor";

  /** bd's collision budget for adaptive id length: the shortest hash whose collision chance stays below it. */
  private static final double MAX_COLLISION_PROBABILITY = 0.25;

  private static final int MIN_HASH_LENGTH = 4;
  private static final int MAX_HASH_LENGTH = 8;
  private static final int NONCES = 10;

  /** Parent-child chains longer than this are not followed (bd stops at the same depth). */
  private static final int MAX_DEPTH = 50;

  /** One monitor per lock file: a JVM may not take a FileLock twice, so its own threads queue here first. */
  private static final Map<Path, Object> MONITORS = new ConcurrentHashMap<>();

  /** The fields {@link Bead} holds; a line's other fields are kept as they are. */
  private static final Set<String> KNOWN_FIELDS =
      Set.of("id", "title", "description", "notes", "status", "priority", "issue_type", "labels", "dependencies",
          "created_at", "updated_at", "closed_at", "close_reason");

  private static final Pattern NOT_PREFIX = Pattern.compile("[^a-z0-9-]");

  private final Path repoDir;
  private final Path file;
  private final Path lockFile;

  public EmbeddedBeads(Path repoDir) {
    this.repoDir = repoDir.toAbsolutePath().normalize();
    this.file = this.repoDir.resolve(DIR).resolve(FILE);
    this.lockFile = this.repoDir.resolve(DIR).resolve(FILE + ".lock");
  }

  public Path file() {
    return file;
  }

  /** A line of the file: the issue read from it, or null when it is not one (then the text is kept as it is). */
  private record Line(String text, ObjectNode node, Bead bead) {

    static Line of(String text) {
      try {
        JsonNode node = Json.MAPPER.readTree(text);
        if (node instanceof ObjectNode object && object.path("id").isString()) {
          return new Line(text, object, Json.MAPPER.treeToValue(object, Bead.class));
        }
      } catch (JacksonException e) {
        // not an issue we can read: keep the line untouched
      }
      return new Line(text, null, null);
    }

    /** The line for a changed bead: its known fields replaced in place, every other field of the line kept. */
    Line with(Bead changed) {
      ObjectNode fresh = Json.MAPPER.valueToTree(changed);
      ObjectNode merged = Json.MAPPER.createObjectNode();
      if (node != null) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
          if (!KNOWN_FIELDS.contains(field.getKey())) {
            merged.set(field.getKey(), field.getValue());
          } else if (fresh.has(field.getKey())) {
            merged.set(field.getKey(), fresh.get(field.getKey()));
          }
        }
      }
      fresh.properties().forEach(field -> {
        if (!merged.has(field.getKey())) {
          merged.set(field.getKey(), field.getValue());
        }
      });
      return new Line(Json.write(merged), merged, changed);
    }
  }

  /** The file's lines and the beads among them, by id. */
  private static final class Issues {

    final List<Line> lines;
    final Map<String, Integer> index = new LinkedHashMap<>();

    Issues(List<Line> lines) {
      this.lines = lines;
      for (int i = 0; i < lines.size(); i++) {
        Bead bead = lines.get(i).bead();
        if (bead != null) {
          index.putIfAbsent(bead.id(), i);
        }
      }
    }

    Bead get(String id) {
      Integer at = index.get(id);
      return at == null ? null : lines.get(at).bead();
    }

    List<Bead> beads() {
      return index.values().stream().map(i -> lines.get(i).bead()).toList();
    }

    void put(Bead bead) {
      Integer at = index.get(bead.id());
      if (at == null) {
        index.put(bead.id(), lines.size());
        lines.add(new Line(null, null, null).with(bead));
      } else {
        lines.set(at, lines.get(at).with(bead));
      }
    }
  }

  @Override
  public Bead create(NewBead request) {
    return write(issues -> {
      for (String id : request.dependsOn()) {
        require(issues, id);
      }
      if (request.parent() != null) {
        require(issues, request.parent());
      }
      Instant now = now();
      String id = request.parent() != null ? childId(issues, request.parent()) : hashId(issues, request, now);
      List<Bead.Dependency> edges = new ArrayList<>();
      for (String blocker : request.dependsOn()) {
        edges.add(new Bead.Dependency(id, blocker, Bead.BLOCKS, now.toString()));
      }
      if (request.parent() != null) {
        edges.add(new Bead.Dependency(id, request.parent(), Bead.PARENT_CHILD, now.toString()));
      }
      Bead bead = new Bead(id, request.title(), request.description(), null, "open", request.priority(), request.type(),
          List.copyOf(new TreeSet<>(request.labels())), edges, now.toString(), now.toString(), null, null);
      issues.put(bead);
      return bead;
    });
  }

  @Override
  public Bead update(String id, BeadUpdate update) {
    if (update.isEmpty()) {
      return show(id);
    }
    return write(issues -> {
      Bead old = require(issues, id);
      String status = update.status() == null ? old.status() : update.status();
      String notes = old.notes() == null || old.notes().isEmpty() ? update.appendNotes()
          : update.appendNotes() == null ? old.notes() : old.notes() + "\n" + update.appendNotes();
      TreeSet<String> labels = new TreeSet<>(old.labels());
      labels.addAll(update.addLabels());
      labels.removeAll(update.removeLabels());
      boolean reopened = old.status().equals("closed") && !status.equals("closed");
      Bead bead = new Bead(old.id(), old.title(), old.description(), notes, status, old.priority(), old.issueType(),
          List.copyOf(labels), old.dependencies(), old.createdAt(), now().toString(),
          reopened ? null : old.closedAt(), reopened ? null : old.closeReason());
      issues.put(bead);
      return bead;
    });
  }

  @Override
  public Bead close(String id, String reason) {
    return write(issues -> {
      Bead old = require(issues, id);
      if (old.status().equals("closed")) {
        return old;
      }
      List<String> open =
          old.blockers().stream().filter(b -> issues.get(b) != null && !issues.get(b).resolved()).toList();
      if (!open.isEmpty()) {
        throw new BeadsException("cannot close " + id + ": blocked by open beads " + open + "; close those first");
      }
      String now = now().toString();
      Bead bead = new Bead(old.id(), old.title(), old.description(), old.notes(), "closed", old.priority(),
          old.issueType(), old.labels(), old.dependencies(), old.createdAt(), now, now,
          reason == null || reason.isBlank() ? "Closed" : reason);
      issues.put(bead);
      return bead;
    });
  }

  @Override
  public Bead show(String id) {
    return require(read(), id);
  }

  @Override
  public List<Bead> list(BeadFilter filter) {
    String status = filter.status();
    return select(read().beads().stream()
        .filter(b -> !b.status().equals("tombstone"))
        .filter(b -> status == null ? !b.status().equals("closed")
            : status.equals(BeadFilter.ALL) || b.status().equals(status))
        .toList(), filter, Comparator.comparing(EmbeddedBeads::created).reversed());
  }

  @Override
  public List<Bead> ready(BeadFilter filter) {
    List<Bead> all = read().beads();
    Set<String> blocked = blocked(all);
    return select(all.stream().filter(b -> b.status().equals("open") && !blocked.contains(b.id())).toList(), filter,
        Comparator.comparing(EmbeddedBeads::created));
  }

  @Override
  public void addDependency(String from, String to, String type) {
    Bead.dependencyType(type);
    if (from.equals(to)) {
      throw new IllegalArgumentException("a bead cannot depend on itself (" + from + ")");
    }
    write(issues -> {
      Bead old = require(issues, from);
      require(issues, to);
      if (old.dependencies().stream().anyMatch(d -> to.equals(d.dependsOnId()) && type.equals(d.type()))) {
        return null;
      }
      List<Bead.Dependency> edges = new ArrayList<>(old.dependencies());
      String now = now().toString();
      edges.add(new Bead.Dependency(from, to, type, now));
      issues.put(new Bead(old.id(), old.title(), old.description(), old.notes(), old.status(), old.priority(),
          old.issueType(), old.labels(), edges, old.createdAt(), now, old.closedAt(), old.closeReason()));
      return null;
    });
  }

  @Override
  public String toString() {
    return "embedded beads in " + file;
  }

  /** Microseconds, the precision of bd's Dolt timestamps. */
  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }

  /**
   * Beads with something open in the way: a {@code blocks} edge to a bead that is not closed, or a parent
   * (through {@code parent-child}, at any depth) that is blocked so. An edge to an unknown id blocks nothing,
   * as in bd, whose query joins the edge to the issue.
   */
  static Set<String> blocked(List<Bead> beads) {
    Map<String, Bead> byId = new HashMap<>();
    Map<String, List<String>> children = new HashMap<>();
    for (Bead bead : beads) {
      byId.put(bead.id(), bead);
      bead.dependencies().stream()
          .filter(d -> Bead.PARENT_CHILD.equals(d.type()))
          .forEach(d -> children.computeIfAbsent(d.dependsOnId(), p -> new ArrayList<>()).add(bead.id()));
    }
    Set<String> blocked = new HashSet<>();
    Deque<Map.Entry<String, Integer>> queue = new ArrayDeque<>();
    for (Bead bead : beads) {
      boolean waits = bead.blockers().stream().anyMatch(b -> byId.containsKey(b) && !byId.get(b).resolved());
      if (waits && blocked.add(bead.id())) {
        queue.add(Map.entry(bead.id(), 0));
      }
    }
    while (!queue.isEmpty()) {
      Map.Entry<String, Integer> next = queue.poll();
      if (next.getValue() >= MAX_DEPTH) {
        continue;
      }
      for (String child : children.getOrDefault(next.getKey(), List.of())) {
        if (blocked.add(child)) {
          queue.add(Map.entry(child, next.getValue() + 1));
        }
      }
    }
    return blocked;
  }

  /** Filters by label and type, sorts by priority (then {@code order}), and cuts at the limit. */
  private static List<Bead> select(List<Bead> beads, BeadFilter filter, Comparator<Bead> order) {
    return beads.stream()
        .filter(b -> filter.label() == null || b.labels().contains(filter.label()))
        .filter(b -> filter.type() == null || b.issueType().equals(filter.type()))
        .sorted(Comparator.comparingInt(Bead::priority).thenComparing(order))
        .limit(filter.limit() == 0 ? Long.MAX_VALUE : filter.limit())
        .toList();
  }

  /** When a bead was created; its text may carry any offset and precision, so it is compared as an instant. */
  private static Instant created(Bead bead) {
    try {
      return bead.createdAt() == null ? Instant.EPOCH : OffsetDateTime.parse(bead.createdAt()).toInstant();
    } catch (DateTimeParseException e) {
      return Instant.EPOCH;
    }
  }

  private Bead require(Issues issues, String id) {
    Bead bead = issues.get(id);
    if (bead == null) {
      throw new BeadsException("no bead " + id + " in " + file + "; beads_list shows the ids there");
    }
    return bead;
  }

  /** A child of {@code parent} is named {@code <parent>.<n>}, the next number free, as bd names it. */
  private static String childId(Issues issues, String parent) {
    Pattern child = Pattern.compile(Pattern.quote(parent) + "\\.(\\d+)");
    int last = 0;
    for (String id : issues.index.keySet()) {
      Matcher matcher = child.matcher(id);
      if (matcher.matches()) {
        last = Math.max(last, Integer.parseInt(matcher.group(1)));
      }
    }
    return parent + "." + (last + 1);
  }

  /**
   * A new hash id, bd's way: prefix, '-', base36 of a SHA-256 over title, description, creator, time and a
   * nonce; the length grows with the number of issues so that a collision stays unlikely, and a collision that
   * happens anyway tries the next nonce, then a longer hash.
   */
  private String hashId(Issues issues, NewBead request, Instant created) {
    String prefix = prefix(issues);
    int base = hashLength(issues.index.size());
    for (int length = base; length <= Math.min(base + 2, MAX_HASH_LENGTH); length++) {
      for (int nonce = 0; nonce < NONCES; nonce++) {
        String id = hashId(prefix, request.title(), request.description(), CREATOR, created, length, nonce);
        if (!issues.index.containsKey(id)) {
          return id;
        }
      }
    }
    throw new BeadsException("no free bead id for '" + request.title() + "' after " + 3 * NONCES + " tries; try again");
  }

  /** bd's {@code GenerateHashID}, byte for byte. */
  static String hashId(
      String prefix, String title, String description, String creator, Instant time, int length, int nonce) {
    long unixNanos = time.getEpochSecond() * 1_000_000_000L + time.getNano();
    String content = title + "|" + description + "|" + creator + "|" + unixNanos + "|" + nonce;
    byte[] hash;
    try {
      hash = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
    int bytes = switch (length) {
      case 3 -> 2;
      case 4 -> 3;
      case 5, 6 -> 4;
      case 7, 8 -> 5;
      default -> 3;
    };
    byte[] head = new byte[bytes];
    System.arraycopy(hash, 0, head, 0, bytes);
    String base36 = new BigInteger(1, head).toString(36);
    String sized = base36.length() >= length ? base36.substring(base36.length() - length)
        : "0".repeat(length - base36.length()) + base36;
    return (prefix.endsWith("-") ? prefix.substring(0, prefix.length() - 1) : prefix) + "-" + sized;
  }

  /** The shortest hash length (4 to 8) whose birthday-collision chance among {@code count} issues is below 25%. */
  static int hashLength(int count) {
    for (int length = MIN_HASH_LENGTH; length < MAX_HASH_LENGTH; length++) {
      double space = Math.pow(36, length);
      if (1 - Math.exp(-((double) count * count) / (2 * space)) <= MAX_COLLISION_PROBABILITY) {
        return length;
      }
    }
    return MAX_HASH_LENGTH;
  }

  /** The prefix the file's issues already use, else one made from the repository's directory name. */
  private String prefix(Issues issues) {
    for (String id : issues.index.keySet()) {
      int dash = id.lastIndexOf('-');
      if (dash > 0) {
        return id.substring(0, dash);
      }
    }
    Path name = repoDir.getFileName();
    String prefix = NOT_PREFIX.matcher(name == null ? "" : name.toString().toLowerCase(Locale.ROOT)).replaceAll("");
    prefix = prefix.replaceAll("^-+|-+$", "");
    return prefix.isEmpty() ? "bd" : prefix;
  }

  private Issues read() {
    List<Line> lines = new ArrayList<>();
    try {
      for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!text.isBlank()) {
          lines.add(Line.of(text));
        }
      }
    } catch (NoSuchFileException e) {
      // no issues yet
    } catch (IOException e) {
      throw new BeadsException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return new Issues(lines);
  }

  /** Reads, changes and rewrites the file while holding its lock; what {@code change} returns is returned. */
  private <T> T write(Function<Issues, T> change) {
    synchronized (MONITORS.computeIfAbsent(lockFile, f -> new Object())) {
      try {
        Files.createDirectories(lockFile.getParent());
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.lock()) {
          Issues issues = read();
          T result = change.apply(issues);
          StringBuilder text = new StringBuilder();
          issues.lines.forEach(line -> text.append(line.text()).append('\n'));
          AtomicFiles.writeString(file, text.toString());
          return result;
        }
      } catch (IOException e) {
        throw new BeadsException("cannot write " + file + ": " + e.getMessage(), e);
      }
    }
  }
}
