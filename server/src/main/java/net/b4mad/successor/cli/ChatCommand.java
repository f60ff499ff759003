package net.b4mad.successor.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import net.b4mad.successor.chat.Conversation;
import net.b4mad.successor.chat.Qwen3ChatTemplate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code successor chat}: the Qwen3 chat format from the command line. */
@Command(
    name = "chat",
    description = "Work with the Qwen3 chat format.",
    subcommands = {ChatCommand.Render.class})
public final class ChatCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code successor chat render FILE}. */
  @Command(
      name = "render",
      description = {
        "Print the prompt that the Qwen3 chat template renders for a conversation, exactly, with nothing added.",
        "FILE is JSON: {\"messages\": [...], \"tools\": [...], \"add_generation_prompt\": false,"
            + " \"enable_thinking\": true} (OpenAI-style messages with tool_calls and role tool)."
      })
  static final class Render implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "The conversation file.")
    Path file;

    @Override
    public Integer call() throws IOException {
      String prompt = Qwen3ChatTemplate.render(Conversation.read(file)).text();
      // Bytes, not System.out.print: the prompt must come out as UTF-8 whatever the platform charset is.
      System.out.write(prompt.getBytes(StandardCharsets.UTF_8));
      System.out.flush();
      return 0;
    }
  }
}
