package net.b4mad.successor.beads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bd adapter against a fake {@code bd}: a shell script that records its arguments and working directory and
 * prints the recorded answers in {@code src/test/resources/beads/bd} (see the README there for where their shape
 * comes from). Each test asserts the exact argument vectors bd would get.
 */
@DisabledOnOs(OS.WINDOWS)
class BeadsCliTest {

  private static final String FAKE_BD =
      """
      #!/bin/sh
      here=$(dirname "$0")
      printf '%s\\0' "$@" >> "$here/argv.log"
      printf '\\036' >> "$here/argv.log"
      pwd >> "$here/cwd.log"
      name=$1
      [ "$1" = dep ] && name="dep-$2"
      [ -f "$here/$name.sleep" ] && sleep "$(cat "$here/$name.sleep")"
      [ -f "$here/$name.stderr" ] && cat "$here/$name.stderr" >&2
      [ -f "$here/$name.json" ] && cat "$here/$name.json"
      exit "$(cat "$here/$name.exit" 2>/dev/null || echo 0)"
      """;

  private static final List<String> ANSWERS =
      List.of("create", "show", "show-object", "update", "close", "list", "ready", "dep-add");

  @TempDir Path dir;
  Path bin;
  Path repo;
  BeadsCli bd;

  @BeforeEach
  void fakeBd() throws IOException {
    bin = Files.createDirectories(dir.resolve("bin"));
    repo = Files.createDirectories(dir.resolve("repo"));
    Path script = bin.resolve("bd");
    Files.writeString(script, FAKE_BD);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    for (String answer : ANSWERS) {
      try (InputStream in = getClass().getResourceAsStream("/beads/bd/" + answer + ".json")) {
        Files.write(bin.resolve(answer + ".json"), in.readAllBytes());
      }
    }
    bd = new BeadsCli(script, repo, Map.of(), Duration.ofSeconds(20));
  }

  /** The argument vectors of every bd run so far, in order. */
  private List<List<String>> calls() throws IOException {
    Path log = bin.resolve("argv.log");
    List<List<String>> calls = new ArrayList<>();
    if (!Files.exists(log)) {
      return calls;
    }
    for (String call : Files.readString(log, StandardCharsets.UTF_8).split("\036")) {
      calls.add(List.of(call.split("\0")));
    }
    return calls;
  }

  private void answer(String name, String stdout, String stderr, int exit) throws IOException {
    Files.deleteIfExists(bin.resolve(name + ".json"));
    if (stdout != null) {
      Files.writeString(bin.resolve(name + ".json"), stdout);
    }
    Files.writeString(bin.resolve(name + ".stderr"), stderr);
    Files.writeString(bin.resolve(name + ".exit"), String.valueOf(exit));
  }

  @Test
  void createPassesEveryFieldAsFlagValuesAndReturnsTheIssueAsShowHasIt() throws IOException {
    Bead bead =
        bd.create(new NewBead("-rf: a title that looks like a flag", "task", 1, "Train a LoRA adapter.",
            List.of("sft", "dataset:tools-v3"), List.of("successor-x1b4"), "successor-9k2p"));

    assertEquals(
        List.of(
            List.of("create", "--title=-rf: a title that looks like a flag", "--type=task", "--priority=1",
                "--description=Train a LoRA adapter.", "--labels=sft,dataset:tools-v3", "--deps=blocks:successor-x1b4",
                "--parent=successor-9k2p", "--json"),
            List.of("show", "successor-a3f8", "--json")),
        calls());
    assertEquals(repo.toString(), Files.readString(bin.resolve("cwd.log")).lines().findFirst().orElseThrow());

    assertEquals("successor-a3f8", bead.id());
    assertEquals("in_progress", bead.status());
    assertEquals(List.of("dataset:tools-v3", "sft"), bead.labels());
    assertEquals("step 100: loss 1.92\nstep 200: loss 1.41", bead.notes());
    assertEquals(
        List.of(
            new Bead.Dependency("successor-a3f8", "successor-9k2p", "parent-child", null),
            new Bead.Dependency("successor-a3f8", "successor-x1b4", "blocks", null)),
        bead.dependencies());
    assertEquals("successor-9k2p", bead.parent());
    assertEquals(List.of("successor-x1b4"), bead.blockers());
  }

  @Test
  void aPlainCreateSendsOnlyWhatIsGiven() throws IOException {
    bd.create(new NewBead("Eval: tools-v3 adapter"));
    assertEquals(List.of("create", "--title=Eval: tools-v3 adapter", "--type=task", "--priority=2", "--json"), calls().get(0));
  }

  @Test
  void updateAppendsNotesAndChangesLabelsThenShows() throws IOException {
    Bead bead = bd.update("successor-a3f8",
        new BeadUpdate("in_progress", "step 200: loss 1.41", List.of("training", "gpu"), List.of("queued")));

    assertEquals(
        List.of(
            List.of("update", "successor-a3f8", "--status=in_progress", "--append-notes=step 200: loss 1.41",
                "--add-label=training", "--add-label=gpu", "--remove-label=queued", "--json"),
            List.of("show", "successor-a3f8", "--json")),
        calls());
    assertEquals("in_progress", bead.status());
  }

  @Test
  void closeGivesTheReason() throws IOException {
    bd.close("successor-a3f8", "trained: eval loss 1.23");
    bd.close("successor-a3f8", null);

    assertEquals(
        List.of(
            List.of("close", "successor-a3f8", "--reason=trained: eval loss 1.23", "--json"),
            List.of("show", "successor-a3f8", "--json"),
            List.of("close", "successor-a3f8", "--json"),
            List.of("show", "successor-a3f8", "--json")),
        calls());
  }

  @Test
  void showAcceptsTheObjectFormOfTheDocsToo() throws IOException {
    Files.copy(bin.resolve("show-object.json"), bin.resolve("show.json"), StandardCopyOption.REPLACE_EXISTING);

    Bead bead = bd.show("successor-7hq2");

    assertEquals("successor-7hq2", bead.id());
    assertEquals(List.of("eval"), bead.labels());
    assertEquals(List.of("successor-a3f8"), bead.blockers());
    assertEquals(List.of(List.of("show", "successor-7hq2", "--json")), calls());
  }

  @Test
  void listAndReadyPassTheFilterAndLiftBdsDefaultLimits() throws IOException {
    List<Bead> open = bd.list(new BeadFilter(null, "sft", "task", 51));
    List<Bead> closed = bd.list(new BeadFilter("closed", null, null, 0));
    List<Bead> all = bd.list(BeadFilter.everything());
    List<Bead> ready = bd.ready(new BeadFilter(null, "eval", null, 0));

    assertEquals(
        List.of(
            List.of("list", "--label=sft", "--type=task", "--limit=51", "--json"),
            List.of("list", "--status=closed", "--limit=0", "--json"),
            List.of("list", "--all", "--limit=0", "--json"),
            List.of("ready", "--label=eval", "--limit=0", "--json")),
        calls());
    assertEquals(List.of("successor-9k2p", "successor-a3f8"), open.stream().map(Bead::id).toList());
    assertEquals("epic", open.get(0).issueType());
    assertEquals(2, closed.size());
    assertEquals(2, all.size());
    assertEquals("successor-7hq2", ready.get(0).id());
    assertEquals(List.of("successor-x1b4"), ready.get(0).blockers());
  }

  @Test
  void addsADependency() throws IOException {
    bd.addDependency("successor-7hq2", "successor-a3f8", "blocks");
    bd.addDependency("successor-a3f8", "successor-9k2p", "parent-child");

    assertEquals(
        List.of(
            List.of("dep", "add", "successor-7hq2", "successor-a3f8", "--type=blocks", "--json"),
            List.of("dep", "add", "successor-a3f8", "successor-9k2p", "--type=parent-child", "--json")),
        calls());
    assertThrows(IllegalArgumentException.class, () -> bd.addDependency("successor-7hq2", "successor-a3f8", "follows"));
  }

  @Test
  void aFailingBdIsAnErrorThatCarriesItsStderr() throws IOException {
    answer("show", null, "Error: no issue found matching \"successor-zzzz\"\n", 1);

    BeadsException e = assertThrows(BeadsException.class, () -> bd.show("successor-zzzz"));

    assertTrue(e.getMessage().contains("bd show successor-zzzz failed (exit 1)"), e.getMessage());
    assertTrue(e.getMessage().contains("no issue found matching \"successor-zzzz\""), e.getMessage());
    assertTrue(e.getMessage().contains(repo.toString()), e.getMessage());
  }

  @Test
  void aRefusalOnStderrWithExitZeroIsAnErrorToo() throws IOException {
    answer("update", null, "Issue successor-zzzz not found\n", 0);

    BeadsException e = assertThrows(BeadsException.class, () -> bd.update("successor-zzzz", BeadUpdate.status("blocked")));

    assertTrue(e.getMessage().contains("bd update successor-zzzz printed no JSON"), e.getMessage());
    assertTrue(e.getMessage().contains("Issue successor-zzzz not found"), e.getMessage());
    assertEquals(1, calls().size(), "no show after a failed update");
  }

  @Test
  void somethingOtherThanJsonIsAnError() throws IOException {
    answer("ready", "No ready work found\n", "", 0);
    BeadsException e = assertThrows(BeadsException.class, () -> bd.ready(new BeadFilter(null, null, null, 0)));
    assertTrue(e.getMessage().contains("bd ready printed something other than JSON"), e.getMessage());
  }

  @Test
  void aHangingBdIsStoppedAtTheTimeout() throws IOException {
    Files.writeString(bin.resolve("list.sleep"), "5");
    BeadsCli impatient = new BeadsCli(bin.resolve("bd"), repo, Map.of(), Duration.ofMillis(300));

    long start = System.nanoTime();
    BeadsException e = assertThrows(BeadsException.class, () -> impatient.list(BeadFilter.everything()));

    assertTrue(e.getMessage().contains("bd list did not finish within 0.3 s"), e.getMessage());
    assertTrue(System.nanoTime() - start < 4_000_000_000L, "the timeout did not stop the wait");
  }

  @Test
  void anIdThatCouldReadAsAFlagNeverReachesBd() throws IOException {
    assertThrows(IllegalArgumentException.class, () -> bd.show("--all"));
    assertThrows(IllegalArgumentException.class, () -> bd.close("bd-1 --force", null));
    assertEquals(List.of(), calls());
  }

  @Test
  void theEnvironmentGivenReachesBd() throws IOException {
    Path script = bin.resolve("env-bd");
    Files.writeString(script, "#!/bin/sh\nprintf '{\"id\": \"%s\", \"title\": \"t\", \"priority\": 2}' \"$BEADS_ACTOR\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));

    Bead bead = new BeadsCli(script, repo, Map.of("BEADS_ACTOR", "successor-1"), Duration.ofSeconds(20)).show("x-1");

    assertEquals("successor-1", bead.id());
  }

  @Test
  void openChoosesBdWhenItIsOnThePathAndTheEmbeddedStoreOtherwise() {
    assertInstanceOf(BeadsCli.class, Beads.open("auto", repo, "/nonexistent:" + bin));
    assertInstanceOf(BeadsCli.class, Beads.open("cli", repo, bin.toString()));
    assertInstanceOf(BeadsCli.class, Beads.open(null, repo, bin.toString()));
    assertInstanceOf(EmbeddedBeads.class, Beads.open("auto", repo, "/nonexistent"));
    assertInstanceOf(EmbeddedBeads.class, Beads.open("embedded", repo, bin.toString()));

    IllegalArgumentException noBd = assertThrows(IllegalArgumentException.class, () -> Beads.open("cli", repo, ""));
    assertTrue(noBd.getMessage().contains("no bd executable on PATH"), noBd.getMessage());
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> Beads.open("sqlite", repo, ""));
    assertTrue(unknown.getMessage().contains("[auto, cli, embedded]"), unknown.getMessage());
  }
}
