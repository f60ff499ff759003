package net.b4mad.successor.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AllowedRootsTest {

  @TempDir Path tmp;
  Path workspace;
  Path models;
  Path outside;
  AllowedRoots roots;

  @BeforeEach
  void setUp() throws IOException {
    workspace = Files.createDirectories(tmp.resolve("ws")).toRealPath();
    models = Files.createDirectories(tmp.resolve("models")).toRealPath();
    outside = Files.createDirectories(tmp.resolve("secret")).toRealPath();
    Files.writeString(outside.resolve("id_rsa"), "key");
    roots = new AllowedRoots(workspace, List.of(workspace, models));
  }

  @Test
  void relativePathsResolveInsideTheWorkspace() {
    assertEquals(workspace.resolve("datasets/a/train.jsonl"), roots.resolve("datasets/a/train.jsonl"));
  }

  @Test
  void pathsNeedNotExistYet() {
    assertEquals(workspace.resolve("runs/new/adapter"), roots.resolve(workspace + "/runs/new/adapter"));
  }

  @Test
  void anExtraAllowedDirectoryIsAccepted() {
    assertEquals(models.resolve("Qwen3-8B"), roots.resolve(models + "/Qwen3-8B"));
  }

  @Test
  void dotDotOutOfTheWorkspaceIsRefused() {
    PathOutsideRootsException e =
        assertThrows(PathOutsideRootsException.class, () -> roots.resolve("../secret/id_rsa"));
    assertTrue(e.getMessage().contains("--allow-dir"), e.getMessage());
    assertTrue(e.getMessage().contains(outside.resolve("id_rsa").toString()), e.getMessage());
  }

  @Test
  void absolutePathsOutsideAreRefused() {
    assertThrows(PathOutsideRootsException.class, () -> roots.resolve("/etc/passwd"));
  }

  @Test
  void aSymlinkInsideThatPointsOutsideIsRefused() throws IOException {
    Files.createSymbolicLink(workspace.resolve("escape"), outside);
    assertThrows(PathOutsideRootsException.class, () -> roots.resolve("escape/id_rsa"));
    assertThrows(PathOutsideRootsException.class, () -> roots.resolve("escape/not-yet-there"));
  }

  @Test
  void aSiblingWithACommonPrefixIsNotInside() throws IOException {
    Files.createDirectories(tmp.resolve("ws-other"));
    assertThrows(PathOutsideRootsException.class, () -> roots.resolve(tmp.resolve("ws-other/x").toString()));
  }

  @Test
  void emptyAndInvalidPathsGetClearErrors() {
    IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> roots.resolve(" "));
    assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
    IllegalArgumentException nul = assertThrows(IllegalArgumentException.class, () -> roots.resolve("a\0b"));
    assertTrue(nul.getMessage().contains("not a valid path"), nul.getMessage());
  }

  @Test
  void aMissingAllowedDirectoryIsReportedAtStart() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new AllowedRoots(workspace, List.of(workspace, tmp.resolve("nope"))));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }
}
