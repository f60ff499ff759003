package net.b4mad.successor.traces;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A kind of secret the {@link SecretScrubber} finds. The named group {@code secret} of the pattern is what gets
 * replaced; the rest of a match (a {@code Bearer } prefix, the user and host around a URL password) is kept so
 * the text still reads. The triggers are literal substrings without which the pattern cannot match: checking
 * them first with {@code String.contains} keeps scrubbing cheap on the ordinary text that is nearly all of a
 * trace.
 */
public enum SecretKind {
  PRIVATE_KEY(
      // With its END line when there is one; a truncated block loses everything base64 that follows BEGIN.
      "-----BEGIN [A-Z0-9 ]{0,20}PRIVATE KEY(?: BLOCK)?-----(?:[\\s\\S]*?-----END [A-Z0-9 ]{0,20}PRIVATE KEY(?: BLOCK)?-----"
          + "|[A-Za-z0-9+/=\\s]*)",
      "PRIVATE KEY"),
  JWT("(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*", "eyJ"),
  ANTHROPIC_KEY("(?<![A-Za-z0-9_-])sk-ant-[A-Za-z0-9_-]{20,}", "sk-ant-"),
  OPENAI_KEY("(?<![A-Za-z0-9_-])sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}", "sk-"),
  GITHUB_TOKEN("(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})",
      "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
  GITLAB_TOKEN("(?<![A-Za-z0-9_-])glpat-[A-Za-z0-9_-]{20,}", "glpat-"),
  SLACK_TOKEN("(?<![A-Za-z0-9_-])xox[baprs]-[A-Za-z0-9-]{10,}", "xox"),
  STRIPE_KEY("(?<![A-Za-z0-9_])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}", "_live_", "_test_"),
  AWS_ACCESS_KEY_ID("(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])", "AKIA", "ASIA"),
  AWS_SECRET_KEY(
      // Only in context: 40 base64 characters alone are as likely a hash as a key.
      "(?i)(?:aws_?secret_?access_?key|secret_?access_?key|aws_?secret_?key)[\"']?\\s*[:=]\\s*[\"']?"
          + "(?<secret>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])",
      "ecret", "ECRET"),
  GOOGLE_API_KEY("(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])", "AIza"),
  HUGGINGFACE_TOKEN("(?<![A-Za-z0-9_])hf_[A-Za-z0-9]{30,}(?![A-Za-z0-9])", "hf_"),
  BEARER_TOKEN(
      // A digit is required so that prose like "Bearer authentication" stays.
      "(?i)\\bbearer\\s+(?<secret>(?=[A-Za-z._~+/=-]*[0-9])[A-Za-z0-9._~+/=-]{16,})", "earer", "EARER"),
  BASIC_AUTH("(?i)\\bauthorization:\\s*basic\\s+(?<secret>[A-Za-z0-9+/]{8,}={0,2})", "asic", "ASIC"),
  URL_PASSWORD(
      "\\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\\s:/@\\[\\]]+:(?<secret>(?!\\[REDACTED_)[^\\s@/]+)@[^\\s@/]", "://"),
  EMAIL(
      // git@host is an SSH remote, not a person.
      "(?<![A-Za-z0-9._%+-])(?!git@)[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}(?![A-Za-z0-9-])"
          // icon@2x.png is a file name.
          + "(?<!\\.(?:png|jpg|jpeg|gif|svg|webp))",
      "@");

  private final Pattern pattern;
  private final boolean replacesGroup;
  private final List<String> triggers;

  SecretKind(String regex, String... triggers) {
    this.pattern = Pattern.compile(regex);
    this.replacesGroup = regex.contains("(?<secret>");
    this.triggers = List.of(triggers);
  }

  /** The name reported in scrub counts, e.g. {@code openai_key}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** What replaces a found secret, e.g. {@code [REDACTED_OPENAI_KEY]}. */
  public String placeholder() {
    return "[REDACTED_" + name() + "]";
  }

  Pattern pattern() {
    return pattern;
  }

  /** Whether only the {@code secret} group of a match is replaced (else the whole match). */
  boolean replacesGroup() {
    return replacesGroup;
  }

  boolean mayOccurIn(String text) {
    for (String trigger : triggers) {
      if (text.contains(trigger)) {
        return true;
      }
    }
    return false;
  }
}
