package net.b4mad.successor.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import net.b4mad.successor.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/** Base models found in fake model folders and a Hugging Face cache layout, with why some cannot be used. */
class ModelDiscoveryTest {

  static final Path FIXTURES = Path.of("").toAbsolutePath().getParent().getParent().resolve("shared/fixtures");
  static final Path TINY = FIXTURES.resolve("qwen3-tiny/untied-f32");
  /** The tiny fixture's parameters: embedding and LM head 1024 x 48 each, 3 layers, the final norm. */
  static final long TINY_PARAMETERS = 2L * 1024 * 48 + 3 * (48 * 64 + 2 * 48 * 16 + 64 * 48 + 3 * 48 * 96 + 2 * 16 + 2 * 48) + 48;

  @TempDir Path dir;

  /** A copy of the tiny fixture with its config changed and, unless told otherwise, a tokenizer. */
  static Path model(Path at, UnaryOperator<ObjectNode> config, boolean tokenizer) throws Exception {
    Files.createDirectories(at);
    ObjectNode json = (ObjectNode) Json.readTree(TINY.resolve("config.json"));
    Files.writeString(at.resolve("config.json"), Json.writePretty(config.apply(json)));
    Files.copy(TINY.resolve("model.safetensors"), at.resolve("model.safetensors"));
    if (tokenizer) {
      Files.copy(FIXTURES.resolve("qwen3-tokenizer-8k/tokenizer.json"), at.resolve("tokenizer.json"));
    }
    return at;
  }

  static Path model(Path at) throws Exception {
    return model(at, c -> c, true);
  }

  /** models--Org--Name/snapshots/REV/ whose files link to blobs/, as huggingface_hub lays out its cache. */
  static Path hubEntry(Path hub, String repo, String revision) throws Exception {
    Path entry = hub.resolve("models--" + repo.replace("/", "--"));
    Path source = model(dir(entry.resolve("source")));
    Path blobs = Files.createDirectories(entry.resolve("blobs"));
    Path snapshot = Files.createDirectories(entry.resolve("snapshots").resolve(revision));
    for (String file : List.of("config.json", "model.safetensors", "tokenizer.json")) {
      Path blob = blobs.resolve(file.hashCode() + "");
      Files.move(source.resolve(file), blob);
      Files.createSymbolicLink(snapshot.resolve(file), snapshot.relativize(blob));
    }
    Files.delete(source);
    Files.writeString(Files.createDirectories(entry.resolve("refs")).resolve("main"), revision);
    return snapshot;
  }

  private static Path dir(Path path) throws Exception {
    return Files.createDirectories(path);
  }

  private static Map<String, BaseModel> byName(ModelDiscovery.Found found) {
    return found.models().stream().collect(java.util.stream.Collectors.toMap(BaseModel::name, m -> m));
  }

  @Test
  void findsModelFoldersAndSaysWhichSuccessorCanTrainOn() throws Exception {
    Path models = dir(dir.resolve("ws/models"));
    Path zoo = dir(dir.resolve("zoo"));
    model(models.resolve("tiny"));
    model(zoo.resolve("qwen/Qwen3-30B-A3B"), c -> c.put("model_type", "qwen3_moe"), true);
    model(zoo.resolve("llama"), c -> c.put("model_type", "llama"), true);
    model(zoo.resolve("no-tokenizer"), c -> c, false);
    model(zoo.resolve(".cache/hidden"));
    model(zoo.resolve("a/b/c/too-deep"));
    Files.writeString(dir(zoo.resolve("runs/sft-1")).resolve("config.json"), "{\"method\": \"sft\"}");

    ModelDiscovery.Found found = ModelDiscovery.scan(models, List.of(zoo), List.of(dir.resolve("ws"), zoo),
        dir.resolve("no-cache"), ModelDiscovery.DEFAULT_DEPTH);
    Map<String, BaseModel> byName = byName(found);
    assertEquals(Map.of("tiny", true, "qwen/Qwen3-30B-A3B", false, "llama", false, "no-tokenizer", false),
        byName.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().loadable())));

    BaseModel tiny = byName.get("tiny");
    assertEquals("workspace", tiny.source());
    assertEquals(TINY_PARAMETERS, tiny.parameters());
    assertEquals("F32", tiny.dtype());
    assertEquals(TINY_PARAMETERS * 4, tiny.bytes());
    assertNull(tiny.problem());
    assertEquals(models.resolve("tiny").toRealPath().toString(), tiny.path());

    assertEquals("allowed_dir", byName.get("llama").source());
    assertTrue(byName.get("qwen/Qwen3-30B-A3B").problem().contains("mixture-of-experts"),
        byName.get("qwen/Qwen3-30B-A3B").problem());
    assertTrue(byName.get("llama").problem().contains("only dense Qwen3"), byName.get("llama").problem());
    assertTrue(byName.get("no-tokenizer").problem().contains("tokenizer.json"));

    ModelDiscovery.Found deeper = ModelDiscovery.scan(models, List.of(zoo), List.of(zoo), dir.resolve("no-cache"), 4);
    assertTrue(byName(deeper).containsKey("a/b/c/too-deep"), "depth 4 reaches it");
    assertEquals(List.of(false), found.searched().stream().filter(s -> s.source().equals("hf_cache"))
        .map(ModelDiscovery.Searched::scanned).toList());
  }

  @Test
  void listsTheHuggingFaceCacheOnlyWhenItIsAllowed() throws Exception {
    Path models = dir(dir.resolve("ws/models"));
    Path hub = dir(dir.resolve("home/.cache/huggingface/hub"));
    Path snapshot = hubEntry(hub, "Qwen/Qwen3-8B", "0123abcd");
    dir(hub.resolve("datasets--b4mad--traces/snapshots/1"));

    ModelDiscovery.Found outside = ModelDiscovery.scan(models, List.of(), List.of(dir.resolve("ws")), hub, 3);
    assertTrue(outside.models().isEmpty());
    ModelDiscovery.Searched refused = outside.searched().get(1);
    assertFalse(refused.scanned());
    assertTrue(refused.note().contains("--allow-dir " + hub.toRealPath()), refused.note());

    Path home = dir.resolve("home");
    ModelDiscovery.Found allowed = ModelDiscovery.scan(models, List.of(home), List.of(dir.resolve("ws"), home), hub, 3);
    assertEquals(1, allowed.models().size(), "found once, though the walk of home skips .cache and the cache is listed");
    BaseModel qwen = allowed.models().get(0);
    assertEquals("Qwen/Qwen3-8B", qwen.name());
    assertEquals("0123abcd", qwen.revision());
    assertEquals("hf_cache", qwen.source());
    assertTrue(qwen.loadable(), qwen.problem());
    assertEquals(TINY_PARAMETERS, qwen.parameters());
    assertEquals("Qwen/Qwen3-8B", ModelDiscovery.nameOf(snapshot, List.of(hub)));
  }

  @Test
  void findsCacheLayoutsInsideAllowedDirectoriesToo() throws Exception {
    Path zoo = dir(dir.resolve("zoo"));
    hubEntry(zoo.resolve("hub"), "Qwen/Qwen3-0.6B", "feed");
    ModelDiscovery.Found found = ModelDiscovery.scan(dir(dir.resolve("ws/models")), List.of(zoo), List.of(zoo),
        zoo.resolve("hub"), 3);
    assertEquals(List.of("Qwen/Qwen3-0.6B"), found.models().stream().map(BaseModel::name).toList(),
        "the same snapshot from the walk and the cache, listed once");
    assertEquals("allowed_dir", found.models().get(0).source());
  }

  @Test
  void theCacheFollowsHuggingFaceVariables() {
    assertEquals(Path.of("/h/hub"), ModelDiscovery.huggingFaceCache(Map.of("HF_HOME", "/h"), "/home/u"));
    assertEquals(Path.of("/c"), ModelDiscovery.huggingFaceCache(Map.of("HF_HOME", "/h", "HF_HUB_CACHE", "/c"), "/home/u"));
    assertEquals(Path.of("/home/u/.cache/huggingface/hub"), ModelDiscovery.huggingFaceCache(Map.of(), "/home/u"));
  }
}
