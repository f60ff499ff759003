package net.b4mad.successor.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code successor train}: training runs and what they need. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    versionProvider = Successor.VersionProvider.class,
    description = "Plan and run LoRA / QLoRA training.",
    subcommands = {TrainRecipeCommand.Sft.class, TrainRecipeCommand.Dpo.class, EstimateMemoryCommand.class})
public final class TrainCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
