package net.b4mad.successor.traces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.b4mad.successor.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Realistic fake secrets (none of them valid anywhere) and ordinary text that must come through unchanged. */
class SecretScrubberTest {

  private final SecretScrubber scrubber = SecretScrubber.all();

  private static String repeat(String alphabet, int length) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt((i * 7 + 3) % alphabet.length()));
    }
    return out.toString();
  }

  private static final String ALNUM = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789aBcDeFgHiJ";

  private String scrubbed(String text, Map<String, Integer> counts) {
    return scrubber.scrub(text, counts);
  }

  private void assertScrubbed(String secret, String kind) {
    Map<String, Integer> counts = new TreeMap<>();
    String text = "before " + secret + " after";
    String result = scrubbed(text, counts);
    assertEquals("before [REDACTED_" + kind.toUpperCase() + "] after", result, secret);
    assertEquals(Map.of(kind, 1), counts, secret);
  }

  @Test
  void providerKeysAndTokens() {
    assertScrubbed("sk-proj-" + repeat(ALNUM, 40) + "_" + repeat(ALNUM, 20), "openai_key");
    assertScrubbed("sk-" + repeat(ALNUM, 48), "openai_key");
    assertScrubbed("sk-svcacct-" + repeat(ALNUM, 30), "openai_key");
    assertScrubbed("sk-ant-api03-" + repeat(ALNUM, 80) + "-" + repeat(ALNUM, 6) + "AA", "anthropic_key");
    assertScrubbed("ghp_" + repeat(ALNUM, 36), "github_token");
    assertScrubbed("gho_" + repeat(ALNUM, 36), "github_token");
    assertScrubbed("ghs_" + repeat(ALNUM, 36), "github_token");
    assertScrubbed("github_pat_11ABCDEFG0" + repeat(ALNUM, 22) + "_" + repeat(ALNUM, 59), "github_token");
    assertScrubbed("glpat-" + repeat(ALNUM, 20), "gitlab_token");
    assertScrubbed("xoxb-1234567890-1234567890123-" + repeat(ALNUM, 24), "slack_token");
    assertScrubbed("xoxp-1234567890-1234567890-1234567890123-" + repeat("0123456789abcdef", 32), "slack_token");
    assertScrubbed("AKIAIOSFODNN7EXAMPLE", "aws_access_key_id");
    assertScrubbed("ASIAY34FZKBOKMUTVV7A", "aws_access_key_id");
    assertScrubbed("AIzaSy" + repeat(ALNUM, 33), "google_api_key");
    assertScrubbed("hf_" + repeat("abcdefghijklmnopqrstuvwxyzABCDEFGH", 34), "huggingface_token");
    assertScrubbed("sk_live_" + repeat(ALNUM, 24), "stripe_key");
    assertScrubbed("rk_live_" + repeat(ALNUM, 24), "stripe_key");
    assertScrubbed(
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0"
            + ".dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        "jwt");
    assertScrubbed("jane.doe+ci@mail.example.co.uk", "email");
  }

  @Test
  void secretsInContextKeepTheirContext() {
    Map<String, Integer> counts = new TreeMap<>();
    assertEquals(
        "curl -H 'Authorization: Bearer [REDACTED_BEARER_TOKEN]' https://api.example.com",
        scrubbed("curl -H 'Authorization: Bearer 8f3a9c2e7b1d4f6a0c5e9b2d7f1a3c6e' https://api.example.com", counts));
    assertEquals(
        "Authorization: Basic [REDACTED_BASIC_AUTH]", scrubbed("Authorization: Basic dXNlcjpodW50ZXIy", counts));
    assertEquals(
        "aws_secret_access_key = [REDACTED_AWS_SECRET_KEY]",
        scrubbed("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", counts));
    assertEquals(
        "{\"SecretAccessKey\": \"[REDACTED_AWS_SECRET_KEY]\"}",
        scrubbed("{\"SecretAccessKey\": \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"}", counts));
    assertEquals(
        "DATABASE_URL=postgres://admin:[REDACTED_URL_PASSWORD]@db.example.com:5432/app",
        scrubbed("DATABASE_URL=postgres://admin:s3cr3t-P4ss@db.example.com:5432/app", counts));
    // A token of a known kind keeps its own type, and is not counted twice as a URL password.
    assertEquals(
        "git clone https://oauth2:[REDACTED_GITLAB_TOKEN]@gitlab.example.com/group/repo.git",
        scrubbed("git clone https://oauth2:glpat-" + repeat(ALNUM, 20) + "@gitlab.example.com/group/repo.git", counts));
    assertEquals(
        Map.of("bearer_token", 1, "basic_auth", 1, "aws_secret_key", 2, "url_password", 1, "gitlab_token", 1), counts);
  }

  @Test
  void privateKeyBlocksWholeOrTruncated() {
    String pem =
        "key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB\n"
            + "aNhOBkF0yDwQsO1kcn9aYpCGbmD9wJ0aXnVkzEHZdj5i4s4QqMz6VxWVBh0n0f0D\n-----END RSA PRIVATE KEY-----\ndone";
    Map<String, Integer> counts = new TreeMap<>();
    assertEquals("key:\n[REDACTED_PRIVATE_KEY]\ndone", scrubbed(pem, counts));
    String openssh = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n";
    assertEquals("[REDACTED_PRIVATE_KEY]", scrubbed(openssh, counts), "a truncated block is scrubbed to its end");
    assertEquals(Map.of("private_key", 2), counts);
    String publicKey = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----";
    assertEquals(publicKey, scrubbed(publicKey, counts));
  }

  @Test
  void ordinaryTextIsNotMangled() {
    List<String> ordinary =
        List.of(
            "commit 3f786850e387550fdab836ed7e6dc881de23001b (HEAD -> main)",
            "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "request id 550e8400-e29b-41d4-a716-446655440000",
            "echo SGVsbG8sIFdvcmxkISBUaGlzIGlzIGp1c3QgYmFzZTY0IHRleHQu | base64 -d",
            "def task_sk(name): return 'sk-' + name",
            "from huggingface_hub import hf_hub_download",
            "aws_secret_access_key = os.environ['AWS_SECRET_ACCESS_KEY']",
            "curl http://localhost:8080/health and https://example.com/a:b@c",
            "git remote add origin git@github.com:b4mad/successor.git",
            "npm install lodash@4.17.21 and @types/node",
            "<img src=\"logo@2x.png\">",
            "The server expects a Bearer token in the Authorization header (bearer authentication).",
            "Use Basic auth for the registry",
            "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----",
            "x = {\"risk-score\": 3, \"desk-id\": \"a7\", \"ghost_user\": true}",
            "eyJ is how base64 JSON starts");
    Map<String, Integer> counts = new TreeMap<>();
    for (String text : ordinary) {
      assertEquals(text, scrubbed(text, counts));
    }
    assertEquals(Map.of(), counts);
  }

  @Test
  void scrubbingTwiceChangesNothingMore() {
    String text =
        "key sk-proj-" + repeat(ALNUM, 40) + ", mail ops@example.org, db mysql://root:toor@127.0.0.1/x, "
            + "Bearer 8f3a9c2e7b1d4f6a0c5e9b2d7f1a3c6e";
    Map<String, Integer> first = new TreeMap<>();
    String once = scrubbed(text, first);
    Map<String, Integer> second = new TreeMap<>();
    assertEquals(once, scrubbed(once, second));
    assertEquals(Map.of("openai_key", 1, "email", 1, "url_password", 1, "bearer_token", 1), first);
    assertEquals(Map.of(), second);
  }

  @Test
  void emailsCanBeKept() {
    Map<String, Integer> counts = new TreeMap<>();
    String text = "mail jane@example.com the key ghp_" + repeat(ALNUM, 36);
    assertEquals(
        "mail jane@example.com the key [REDACTED_GITHUB_TOKEN]", SecretScrubber.keepingEmails().scrub(text, counts));
    assertEquals(Map.of("github_token", 1), counts);
  }

  @Test
  void everyStringOfATraceIsScrubbedKeysAndMetadataAreNot() {
    String key = "sk-ant-api03-" + repeat(ALNUM, 40);
    JsonNode arguments =
        Json.MAPPER.readTree(
            "{\"env\": {\"ANTHROPIC_API_KEY\": \"" + key + "\"}, \"args\": [\"--token\", \"ghp_" + repeat(ALNUM, 36)
                + "\"], \"n\": 3}");
    Trace trace =
        new Trace(
            null,
            List.of(
                TraceMessage.system("Contact admin@example.com"),
                new TraceMessage("assistant", "ok", "the key is " + key, List.of(new TraceToolCall("c1", "run", arguments)), null, null),
                TraceMessage.tool("c1", "run", "printed " + key)),
            List.of(Json.MAPPER.readTree("{\"type\": \"function\", \"function\": {\"name\": \"run\", \"description\": \"owner admin@example.com\"}}")),
            new TraceMetadata("bob@example.com", "test", "s", null, null, null, null, null));
    Map<String, Integer> counts = new TreeMap<>();
    Trace clean = scrubber.scrub(trace, counts);
    String json = Json.write(clean);
    assertFalse(json.contains(key), json);
    assertFalse(json.contains("admin@example.com"), json);
    assertTrue(json.contains("\"ANTHROPIC_API_KEY\":\"[REDACTED_ANTHROPIC_KEY]\""), json);
    assertEquals(3, clean.messages().get(1).toolCalls().get(0).arguments().get("n").intValue());
    assertEquals("bob@example.com", clean.metadata().agent(), "metadata is not conversation content");
    assertEquals(Map.of("anthropic_key", 3, "github_token", 1, "email", 2), counts);
  }
}
